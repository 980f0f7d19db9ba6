package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every public static method of the API, called by reflection: a null in any
 * reference argument is a NullPointerException (never a crash or a
 * CoreException), and empty arrays or buffers either work or are
 * CoreException(EMPTY), as NumPy refuses min/max/percentile of nothing.
 */
class BadInputTest {
  private static final Class<?>[] API = {Stats.class, Reductions.class, CoreArrays.class, Pcm.class, Batch.class,
      Vad.class, AudioFile.class};

  private static List<Method> methods() {
    List<Method> all = new ArrayList<>();
    for (Class<?> c : API) {
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
          all.add(m);
        }
      }
    }
    return all;
  }

  private static Object value(Class<?> t, boolean empty) {
    int n = empty ? 0 : 3;
    if (t == float[].class) {
      return empty ? new float[0] : new float[] {1, 2, 4};
    } else if (t == double[].class) {
      return empty ? new double[0] : new double[] {1, 2, 4};
    } else if (t == short[].class) {
      return new short[n];
    } else if (t == float[][].class) {
      return empty ? new float[0][] : new float[][] {{1}, {2, 3}};
    } else if (t == double[][].class) {
      return empty ? new double[][] {{}} : new double[][] {{1}, {2, 3}};
    } else if (t == FloatBuffer.class) {
      return empty ? Expect.direct(new float[0]) : Expect.direct(1f, 2f, 4f);
    } else if (t == DoubleBuffer.class) {
      return empty ? Expect.direct(new double[0]) : Expect.direct(1.0, 2.0, 4.0);
    } else if (t == long[].class) {
      return empty ? new long[0] : new long[] {1, 2}; // lengths of the 3-element flat arrays above
    } else if (t == String.class) {
      return "/nonexistent/libcore-test.f32";
    } else if (t == java.nio.file.Path.class) {
      return java.nio.file.Path.of("/nonexistent/libcore-test.f32");
    } else if (t == NanPolicy.class) {
      return NanPolicy.OMIT;
    } else if (t == Stats.class) {
      return Stats.empty();
    } else if (t == VadOptions.class) {
      return VadOptions.defaults();
    } else if (t == int.class) {
      return 0;
    } else if (t == long.class) {
      return 0L;
    } else if (t == double.class) {
      return 0.5;
    } else if (t == float.class) {
      return 0.5f;
    } else if (t == boolean.class) {
      return true;
    }
    throw new AssertionError("no test value for " + t);
  }

  private static Throwable call(Method m, Object[] args) throws IllegalAccessException {
    try {
      m.invoke(null, args);
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    }
  }

  private static String describe(Method m, int nullAt) {
    return m.getDeclaringClass().getSimpleName() + "." + m.getName() + java.util.Arrays.toString(
        m.getParameterTypes()) + (nullAt >= 0 ? " with null argument " + nullAt : "");
  }

  @Test
  void nullInAnyReferenceArgumentIsANullPointerException() throws Exception {
    int checked = 0;
    for (Method m : methods()) {
      Class<?>[] types = m.getParameterTypes();
      for (int i = 0; i < types.length; ++i) {
        if (types[i].isPrimitive()) {
          continue;
        }
        Object[] args = new Object[types.length];
        for (int j = 0; j < types.length; ++j) {
          args[j] = j == i ? null : value(types[j], false);
        }
        Throwable t = call(m, args);
        if (!(t instanceof NullPointerException)) {
          fail(describe(m, i) + ": " + (t == null ? "no exception" : t.toString()));
        }
        ++checked;
      }
    }
    assertTrue(checked > 100, "only " + checked + " cases");
  }

  @Test
  void emptyInputsWorkOrAreEmpty() throws Exception {
    int checked = 0;
    for (Method m : methods()) {
      Class<?>[] types = m.getParameterTypes();
      boolean hasData = false;
      Object[] args = new Object[types.length];
      for (int j = 0; j < types.length; ++j) {
        args[j] = value(types[j], true);
        hasData |= types[j].isArray() || java.nio.Buffer.class.isAssignableFrom(types[j]);
      }
      if (!hasData) {
        continue;
      }
      Throwable t = call(m, args);
      if (m.getDeclaringClass() == AudioFile.class) { // the test path does not exist (or no audio_io)
        assertTrue(t instanceof CoreException && (((CoreException) t).status() == Status.NOT_FOUND
            || ((CoreException) t).status() == Status.UNSUPPORTED), describe(m, -1) + ": " + t);
        ++checked;
        continue;
      }
      if (m.getName().equals("frames")) { // an empty signal has no whole frame (and frame is 0 here)
        assertTrue(t instanceof CoreException && ((CoreException) t).status() == Status.INVALID_ARGUMENT,
            describe(m, -1) + ": " + t);
        ++checked;
        continue;
      }
      if (t != null && !(t instanceof CoreException && ((CoreException) t).status() == Status.EMPTY)) {
        fail(describe(m, -1) + " on empty input: " + t);
      }
      boolean refuses = m.getName().equals("min") || m.getName().equals("max") || m.getName().equals("percentile");
      assertEquals(refuses, t != null, describe(m, -1));
      ++checked;
    }
    assertTrue(checked > 60, "only " + checked + " cases");
  }
}
