/**
 * Runs `task` at once and then `everyMs` after each run ends: two runs never overlap, and a run
 * that takes longer than the interval does not queue another behind it. The timer does not keep
 * the process alive. `runNow` starts a run (or joins the one under way); `stop` lets the run under
 * way finish and starts none after it.
 */
export function repeatEvery<T>(everyMs: number, task: () => Promise<T>): { runNow(): Promise<T>; stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<T> | undefined
  let stopped = false
  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => void runNow(), everyMs)
    timer.unref()
  }
  const runNow = () => {
    clearTimeout(timer)
    running ??= task().finally(() => {
      running = undefined
      schedule()
    })
    return running
  }
  void runNow()
  return {
    runNow,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
