import * as fs from 'fs';
import { isMainThread, MessageChannel, MessagePort, receiveMessageOnPort, Worker, workerData } from 'worker_threads';

/**
 * Writes staged files on a second thread while the main thread produces the next contents (a big tree's YAML):
 * the main thread encodes each content into one of a few slots of a shared buffer and hands the slot and the temp
 * path over; a worker writes it and frees the slot. `join()` waits, synchronously, until every handed file is
 * written and throws the first write error, as writing in the thread would have (the writer joins before it
 * checks anything else, and before it removes what it staged).
 *
 * The worker runs this compiled module (lib/): from TypeScript sources (jest, ts-node) `start()` gives undefined
 * and the writer writes in its own thread. @internal
 */
export class BackgroundWriter {
  /** A worker for this module, or undefined where it cannot run one (TypeScript sources, no worker threads). */
  public static start(): BackgroundWriter | undefined {
    if (!__filename.endsWith('.js')) return undefined;
    try {
      return new BackgroundWriter();
    } catch {
      return undefined;
    }
  }

  private readonly control: Int32Array;
  private readonly slots: Buffer[] = [];
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private produced = 0;
  /** The bytes `encode` gave last (the only ones `write` takes). */
  private last: Buffer | undefined;
  private failure: unknown;
  private closed = false;

  private constructor() {
    const sab = new SharedArrayBuffer(HEADER + SLOTS * SLOT_SIZE);
    this.control = new Int32Array(sab, 0, LENGTHS + SLOTS);
    for (let i = 0; i < SLOTS; i++) this.slots.push(Buffer.from(sab, HEADER + i * SLOT_SIZE, SLOT_SIZE));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(__filename, { workerData: { [MARK]: true, sab, port: port2 }, transferList: [port2] });
    this.worker.unref(); // blocked in Atomics.wait between files: never keeps the process alive
    // Waits (boundedly) until the worker runs: a worker that cannot start would otherwise be waited for forever.
    if (Atomics.wait(this.control, STATE, STARTING, 10_000) === 'timed-out' && Atomics.load(this.control, STATE) === STARTING) {
      void this.worker.terminate();
      throw new Error('the background writer did not start');
    }
  }

  /** The UTF-8 bytes of `content` in the next free slot (waiting for the worker to free one), or undefined if it does not fit in one. */
  public encode(content: string): Buffer | undefined {
    this.last = undefined;
    if (content.length * 3 > SLOT_SIZE && Buffer.byteLength(content) > SLOT_SIZE) return undefined;
    for (;;) {
      const consumed = Atomics.load(this.control, CONSUMED);
      if (this.produced - consumed < SLOTS) break;
      this.waitFor(consumed);
    }
    const slot = this.slots[this.produced % SLOTS];
    this.last = slot.subarray(0, slot.write(content));
    return this.last;
  }

  /** Hands `bytes` (what `encode` gave last) to the worker to write to `file`; false for other bytes (the caller writes them). */
  public write(file: string, bytes: Buffer): boolean {
    if (bytes !== this.last) return false;
    this.last = undefined;
    this.control[LENGTHS + (this.produced % SLOTS)] = bytes.length;
    this.port.postMessage(file);
    Atomics.store(this.control, PRODUCED, ++this.produced);
    Atomics.notify(this.control, PRODUCED);
    return true;
  }

  /** Waits until every handed file is written; throws the first error the worker met (again at every call). */
  public join(): void {
    while (!this.closed) {
      const consumed = Atomics.load(this.control, CONSUMED);
      if (consumed === this.produced || Atomics.load(this.control, STATE) === STOPPED) break;
      this.waitFor(consumed);
    }
    const message = this.closed ? undefined : receiveMessageOnPort(this.port);
    if (message !== undefined && this.failure === undefined) {
      const { message: text, ...fields } = message.message;
      this.failure = Object.assign(new Error(text), fields);
    }
    if (this.failure === undefined && Atomics.load(this.control, STATE) === STOPPED) this.failure = new Error('the background writer stopped');
    if (this.failure !== undefined) throw this.failure;
  }

  /** Waits until the worker has written more than `consumed` files; throws what stopped it if it stopped. */
  private waitFor(consumed: number): void {
    if (Atomics.load(this.control, STATE) === STOPPED) this.join(); // throws what stopped it
    Atomics.wait(this.control, CONSUMED, consumed);
  }

  /** Stops the worker (after `join`; `join` then only throws the error it found, if any). */
  public close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }
}

const MARK = 'cdk8s-openchoreo background writer';
/** Slots of the shared buffer: enough for the worker to lag a few files behind. */
const SLOTS = 4;
const SLOT_SIZE = 1024 * 1024;
/** Int32 control words: files handed over, files written, the worker's state, then each slot's byte length. */
const PRODUCED = 0;
const CONSUMED = 1;
const STATE = 2;
const LENGTHS = 3;
const STARTING = 0;
const RUNNING = 1;
/** The worker met an unexpected error (not a write's) and stopped: it posted the error. */
const STOPPED = 2;
const HEADER = 4 * (LENGTHS + SLOTS);

/** The worker: writes each handed file from its slot; after an error it only frees the slots (the main thread throws it at `join`). */
function runWorker(data: { sab: SharedArrayBuffer; port: MessagePort }): void {
  const control = new Int32Array(data.sab, 0, LENGTHS + SLOTS);
  const slots: Buffer[] = [];
  for (let i = 0; i < SLOTS; i++) slots.push(Buffer.from(data.sab, HEADER + i * SLOT_SIZE, SLOT_SIZE));
  const report = (e: any) => data.port.postMessage({ message: String(e?.message ?? e), code: e?.code, errno: e?.errno, syscall: e?.syscall, path: e?.path });
  Atomics.store(control, STATE, RUNNING);
  Atomics.notify(control, STATE);
  let failed = false;
  try {
    for (let next = 0; ; next++) {
      Atomics.wait(control, PRODUCED, next); // sleeps while nothing new is handed over
      const file: string = receiveMessageOnPort(data.port)!.message;
      if (!failed) {
        try {
          fs.writeFileSync(file, slots[next % SLOTS].subarray(0, control[LENGTHS + (next % SLOTS)]));
        } catch (e) {
          failed = true;
          report(e);
        }
      }
      Atomics.store(control, CONSUMED, next + 1);
      Atomics.notify(control, CONSUMED);
    }
  } catch (e) {
    if (!failed) report(e);
    Atomics.store(control, STATE, STOPPED);
    Atomics.notify(control, CONSUMED);
  }
}

if (!isMainThread && workerData?.[MARK]) runWorker(workerData);
