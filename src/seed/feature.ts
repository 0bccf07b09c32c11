import type { Feature } from '../web/plug-in.ts'
import * as messages from './seed.messages.ts'

/** The demo network: its texts (the loading is offered by setup and `npm run seed:demo`). */
export const seed: Feature = { name: 'seed', messages }
