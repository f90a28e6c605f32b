/**
 * jest's node environment, plus one store that every test file a jest worker runs shares
 * (`globalThis.__cdk8sOpenChoreoWorkerStore`, a Map).
 *
 * jest gives each test file a module registry of its own, so whatever a support module builds is
 * built again in every file. The schema validators are the costly case: each file re-read the core
 * schema, reloaded the compiled validators of the kinds it emits and recompiled their CEL rules,
 * about 45 s of the suite's CPU in all. Keeping them in this store, a worker loads each once.
 * Only state that is pure (the same for every file, never changed by a test) belongs here.
 *
 * jest loads this module through Node's module cache, once per worker; the store lives as long as
 * the worker.
 */
const { TestEnvironment } = require('jest-environment-node');

const store = new Map();

class WorkerStoreEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__cdk8sOpenChoreoWorkerStore = store;
  }
}

module.exports = WorkerStoreEnvironment;
