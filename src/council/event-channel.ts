// An async iterable fed by concurrent producers: the deliberation pushes events from many
// calls at once, and a front end consumes them in order at its own pace. A consumer that stops
// early (break, return) triggers `onStop`, so the council can cancel its calls.

export interface EventChannel<T> extends AsyncIterable<T> {
  push(event: T): void;
  close(): void;
  fail(error: unknown): void;
}

export function createEventChannel<T>(onStop: () => void): EventChannel<T> {
  const queued: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let failWaiting: ((error: unknown) => void) | undefined;
  let closed = false;
  let failure: { error: unknown } | undefined;

  const settleWaiting = () => {
    if (!waiting) return;
    const resolve = waiting;
    const reject = failWaiting;
    if (queued.length > 0) {
      waiting = failWaiting = undefined;
      resolve({ value: queued.shift() as T, done: false });
    } else if (failure) {
      waiting = failWaiting = undefined;
      reject?.(failure.error);
    } else if (closed) {
      waiting = failWaiting = undefined;
      resolve({ value: undefined, done: true });
    }
  };

  return {
    push(event) {
      if (closed) return;
      queued.push(event);
      settleWaiting();
    },
    close() {
      closed = true;
      settleWaiting();
    },
    fail(error) {
      if (closed) return;
      failure = { error };
      closed = true;
      settleWaiting();
    },
    [Symbol.asyncIterator]() {
      return {
        next() {
          if (queued.length > 0) return Promise.resolve({ value: queued.shift() as T, done: false });
          if (failure) return Promise.reject(failure.error);
          if (closed) return Promise.resolve({ value: undefined, done: true });
          return new Promise<IteratorResult<T>>((resolve, reject) => {
            waiting = resolve;
            failWaiting = reject;
          });
        },
        return() {
          if (!closed) onStop();
          closed = true;
          queued.length = 0;
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
}
