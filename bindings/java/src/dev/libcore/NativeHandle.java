package dev.libcore;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.ConcurrentModificationException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;

/**
 * The ownership of one native object ({@link LogMel}, {@link LogMelStream},
 * {@link Vad}, {@link Pipeline}, {@link Batcher}): the handle, its release by {@code close()} or, for a
 * forgotten object, by a cleaner, and the guard that keeps every native call
 * away from a released handle.
 *
 * <p>A call is {@code long h = enter(); try { native(h) } finally { exit(); }}.
 * {@code enter} throws {@link IllegalStateException} once the object is
 * closed; {@code close} waits for the calls in progress, then releases the
 * handle exactly once. {@link Shared} lets any number of threads in at once
 * (the analyser is immutable in C); {@link Exclusive} lets one thread in at a
 * time and throws {@link ConcurrentModificationException} at a second one
 * rather than let two threads corrupt a stream or a detector, which C
 * requires to be used by one thread at a time.
 *
 * <p>The cleaner is registered on this object, which the owner holds: while a
 * call runs, {@code exit()} keeps it reachable (a reachability fence), so the
 * cleaner can never release the handle under a native call.
 */
abstract class NativeHandle {
  /** Created on first use (Cleaner.create starts a thread); shared by the audio classes. */
  private static final class Cleanup {
    static final Cleaner CLEANER = Cleaner.create();
  }

  /** What the cleaner keeps: the handle and its destroy function, never the owner. */
  private static final class Release implements Runnable {
    private final long handle;
    private final LongConsumer destroy;

    Release(long handle, LongConsumer destroy) {
      this.handle = handle;
      this.destroy = destroy;
    }

    @Override
    public void run() {
      destroy.accept(handle);
    }
  }

  private final long handle;
  private final String what;
  private final Cleaner.Cleanable cleanable;
  volatile boolean closed;

  NativeHandle(String what, long handle, LongConsumer destroy) {
    this.what = what;
    this.handle = handle;
    this.cleanable = Cleanup.CLEANER.register(this, new Release(handle, destroy));
  }

  /** Enters a call: the handle, valid until {@link #exit()}. */
  abstract long enter();

  /** Leaves a call entered by {@link #enter()}. */
  abstract void exit();

  /** Releases the handle once; waits for the calls in progress. Idempotent. */
  abstract void close();

  final boolean isClosed() {
    return closed;
  }

  final long handle() {
    return handle;
  }

  final IllegalStateException closedError() {
    return new IllegalStateException("this " + what + " is closed");
  }

  /** Runs the release (once: a Cleanable runs at most once). */
  final void release() {
    cleanable.clean();
  }

  final void fence() {
    Reference.reachabilityFence(this);
  }

  /** Any number of threads at once; close waits for them (a read-write lock, as {@link Metrics}). */
  static final class Shared extends NativeHandle {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    Shared(String what, long handle, LongConsumer destroy) {
      super(what, handle, destroy);
    }

    @Override
    long enter() {
      lock.readLock().lock();
      if (closed) {
        lock.readLock().unlock();
        throw closedError();
      }
      return handle();
    }

    @Override
    void exit() {
      lock.readLock().unlock();
      fence();
    }

    @Override
    void close() {
      lock.writeLock().lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        release();
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  /** One thread at a time, checked; close waits for the call in progress. */
  static final class Exclusive extends NativeHandle {
    private final ReentrantLock lock = new ReentrantLock();
    private final Object closeLock = new Object();
    private final String contract;

    Exclusive(String what, long handle, LongConsumer destroy) {
      super(what, handle, destroy);
      this.contract = "two threads used one " + what + " at the same time: a " + what
          + " takes one thread at a time (libcore's rule); lock it yourself to share it";
    }

    @Override
    long enter() {
      if (closed) {
        throw closedError();
      }
      if (!lock.tryLock()) {
        if (closed) {
          throw closedError(); // close() holds the lock
        }
        throw new ConcurrentModificationException(contract);
      }
      if (closed) {
        lock.unlock();
        throw closedError();
      }
      return handle();
    }

    @Override
    void exit() {
      lock.unlock();
      fence();
    }

    @Override
    void close() {
      synchronized (closeLock) {
        if (closed) {
          return;
        }
        closed = true; // new calls are refused from here on
        lock.lock(); // waits for the call in progress, if any
        try {
          release();
        } finally {
          lock.unlock();
        }
      }
    }
  }
}
