// One loader, seen from the main thread: start it, hand it jobs, and get for each either its end or
// the reason it was cut short (timeout, crash, out of memory). A cut-short loader is spent.
// Jobs may be handed over before the previous one ends: the loader runs them one after the other, so
// it need not wait for the main thread between two; each job's clock starts when the one before ends.
// The linter's loader (a locked-down child process) records queries; verify's (a worker thread,
// src/verify/kysely/) sends them to a real Postgres and waits for the answer, given through send().
import type { LoaderChannel } from './loader-channel.js'
import type { LoadJob, WorkerMessage } from './protocol.js'

/** `ran: false`: the loader was cut short before it got to this job (hand it to a fresh one). */
export type JobOutcome = { done: true } | { done: false; reason: string; ran: boolean }

const START_TIMEOUT_MS = 30_000

export interface LoaderOptions<Message> {
  /**
   * What the loader says is checked before it is believed: the migration runs in the loader and may
   * post too. A message that is not one of the protocol's ends the loader with the reason returned.
   */
  check?(message: unknown): Message | string
}

interface RunningJob<Message> {
  /** The job's number, when it has one: messages that name another job are not this one's. */
  id: unknown
  /** Once it is the loader's current job. */
  begin(): void
  onMessage(message: Message): void
  stop(reason: string, ran: boolean): void
}

/** What every loader says: `ready` once it listens, `done` at the end of each job. */
type BaseMessage = { type: string; job?: unknown }

export class LoaderThread<Job = LoadJob, Message extends BaseMessage = WorkerMessage> {
  /** Null once the loader is up; else why it could not start. */
  private readonly start: Promise<string | null>
  /** Handed to the loader, in its order: the first one is running. */
  private jobs: RunningJob<Message>[] = []
  private spent = false
  /** Why the loader is being ended; until it is gone, what it still says belongs to the running job. */
  private ending: string | null = null
  /** Messages about a job handed over earlier that has ended (a timer it left running): see run(). */
  private readonly earlier = new Map<unknown, (message: Message) => void>()

  constructor(
    private readonly channel: LoaderChannel,
    options: LoaderOptions<Message> = {},
  ) {
    let settleStart: (failure: string | null) => void = () => {}
    this.start = new Promise(resolve => (settleStart = resolve))
    const timer = setTimeout(() => fail(`the loader did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS)
    timer.unref()
    const fail = (reason: string) => {
      clearTimeout(timer)
      if (this.jobs.length) this.stopAll(reason)
      else settleStart(reason)
    }
    channel.onMessage(raw => {
      if (this.spent) return
      const message = options.check ? options.check(raw) : (raw as Message)
      if (typeof message === 'string') this.cutShort(message)
      else if (message.type === 'ready') {
        clearTimeout(timer)
        settleStart(null)
      } else if (this.jobs[0] && (message.job === undefined || message.job === this.jobs[0].id)) {
        this.jobs[0].onMessage(message)
      } else {
        this.earlier.get(message.job)?.(message)
      }
    })
    channel.onGone(reason => fail(this.ending ?? reason))
  }

  started(): Promise<string | null> {
    return this.start
  }

  /**
   * While a promise that `onMessage` returns is pending (the loader waits on the main thread, e.g. for
   * Postgres), the job's clock stops: the limit is on the migration's own code. After the job is done,
   * what the loader still says about it (a callback the migration left running) goes to `onMessage` too.
   */
  run(job: Job, timeoutMs: number, onMessage: (message: Message) => void | Promise<unknown>): Promise<JobOutcome> {
    if (this.spent) return Promise.resolve({ done: false, reason: 'the loader was stopped', ran: false })
    const id = (job as { job?: unknown }).job
    return new Promise<JobOutcome>(resolve => {
      let clock: JobClock | null = null
      const finish = (outcome: JobOutcome) => {
        clock?.stop()
        this.jobs.splice(this.jobs.indexOf(running), 1)
        if (outcome.done && id !== undefined) this.earlier.set(id, message => void onMessage(message))
        resolve(outcome)
      }
      const running: RunningJob<Message> = {
        id,
        begin: () => {
          clock = new JobClock(timeoutMs, () =>
            this.cutShort(`it did not finish within ${timeoutMs} ms (the limit is "kysely": { "timeoutMs" } in the config)`),
          )
        },
        onMessage: message => {
          if (message.type === 'done') {
            finish({ done: true })
            return this.jobs[0]?.begin()
          }
          const waiting = onMessage(message)
          if (waiting) clock?.pauseUntil(waiting)
        },
        stop: (reason, ran) => finish({ done: false, reason, ran }),
      }
      this.jobs.push(running)
      if (this.jobs.length === 1) running.begin()
      this.channel.post(job)
    })
  }

  /**
   * Ends the loader, hard (a blocking call ends too). The running job ends with `reason` once the
   * loader is gone: what it said before it was ended is read first.
   */
  private cutShort(reason: string): void {
    if (this.ending !== null || this.spent) return
    this.ending = reason
    void this.channel.terminate()
  }

  /** The running job ends with `reason`; those waiting behind it never ran. The loader is spent. */
  private stopAll(reason: string): void {
    this.spent = true
    const [running, ...waiting] = this.jobs
    running?.stop(reason, true)
    for (const job of waiting) job.stop(reason, false)
  }

  /** A message to the loader while its job runs (an answer it waits for). */
  send(message: unknown): void {
    this.channel.post(message)
  }

  async terminate(): Promise<void> {
    this.stopAll('the loader was stopped')
    await this.channel.terminate()
  }
}

/** A time limit that does not run while the main thread works for the job. */
class JobClock {
  private left: number
  private since = performance.now()
  private timer: NodeJS.Timeout | null
  private paused = 0

  constructor(
    limitMs: number,
    private readonly expired: () => void,
  ) {
    this.left = limitMs
    this.timer = setTimeout(expired, limitMs)
  }

  pauseUntil(waiting: Promise<unknown>): void {
    if (this.paused++ === 0 && this.timer) {
      clearTimeout(this.timer)
      this.left -= performance.now() - this.since
    }
    const resume = () => {
      if (--this.paused > 0 || !this.timer) return
      this.since = performance.now()
      this.timer = setTimeout(this.expired, Math.max(0, this.left))
    }
    waiting.then(resume, resume)
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
