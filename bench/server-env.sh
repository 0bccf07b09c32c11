# Sourced by the bench scripts that ask a server already running at URL on DATABASE_URL: the bench
# admin's tokens (API, COOKIE), the server's PID, and cpu — its CPU time so far in ms (all its
# threads, from /proc).
: "${DATABASE_URL:?DATABASE_URL}"
URL=${URL:-http://127.0.0.1:3000}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOK=$(node --experimental-strip-types --disable-warning=ExperimentalWarning bench/tokens.ts)
API=$(node -e 'console.log(JSON.parse(process.argv[1]).api)' "$TOK")
COOKIE=$(node -e 'console.log(JSON.parse(process.argv[1]).browser)' "$TOK")
PORT=${URL##*:}
PID=$(ss -ltnp | grep ":$PORT " | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
cpu() { awk '{print ($14+$15)*10}' "/proc/$PID/stat"; }
