/*
 * libcore from Java: the speech front end in a few calls (a WAV file, a
 * Whisper log-mel spectrogram, voice activity detection, a log-mel stream).
 *
 * A single-file program (Java 11+ runs it straight from source):
 *
 *   meson compile -C build java-audio-example
 * or
 *   java -Djava.library.path=build/bindings/java -cp build/bindings/java/libcore.jar \
 *        examples/java/AudioExample.java [file.wav|flac|ogg]
 *
 * Without an argument it writes 3 s of synthetic audio (silence, a 1 s
 * burst, silence) to a temporary WAV file and reads it back. It exits
 * non-zero if any result is not what it should be, so it doubles as a smoke
 * test (meson test -C build java_audio_example).
 */
import dev.libcore.AudioFile;
import dev.libcore.AudioInfo;
import dev.libcore.CoreException;
import dev.libcore.LogMel;
import dev.libcore.LogMelOptions;
import dev.libcore.LogMelStream;
import dev.libcore.MelSpectrogram;
import dev.libcore.Segment;
import dev.libcore.Status;
import dev.libcore.Vad;
import dev.libcore.VadOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

public final class AudioExample {
  public static void main(String[] args) throws IOException {
    final int rate = 16000;
    float[] samples;
    boolean synthetic = args.length == 0;
    if (synthetic) {
      short[] pcm = new short[3 * rate];
      java.util.SplittableRandom r = new java.util.SplittableRandom(1);
      for (int i = 0; i < pcm.length; ++i) {
        double v = 3 * (2 * r.nextDouble() - 1); // a quiet room
        if (i >= rate && i < 2 * rate) {
          v += 9000 * Math.sin(2 * Math.PI * 440 * i / rate) * (1 + 0.5 * Math.sin(2 * Math.PI * 3 * i / rate));
        }
        pcm[i] = (short) Math.round(v);
      }
      Path wav = Files.createTempFile("libcore-audio-example", ".wav");
      try {
        Files.write(wav, wavBytes(pcm, rate));
        samples = readOrDecode(wav.toString(), pcm, rate);
      } finally {
        Files.deleteIfExists(wav);
      }
    } else {
      AudioInfo info = AudioFile.info(args[0]);
      System.out.println(args[0] + ": " + info);
      samples = AudioFile.read(args[0], rate); // mono float32 at 16 kHz, whatever the file holds
    }

    // Whisper's log-mel spectrogram: 80 bands x samples / 160 frames, mel-major.
    try (LogMel mel = new LogMel()) {
      MelSpectrogram s = mel.compute(samples);
      System.out.printf("log-mel: %d x %d (Whisper's shape), filters %d x %d%n", s.nMels(), s.nFrames(), mel.nMels(),
          mel.filters().length / mel.nMels());
      check(s.nMels() == 80 && s.nFrames() == samples.length / 160, "log-mel shape");
      if (synthetic) {
        // the burst's frames are louder than the silence's in the band of 440 Hz
        check(s.get(10, 150) > s.get(10, 50) + 0.5f, "the burst shows in the spectrogram");
      }
    }

    // Voice activity: offline, and the same segments from a stream of 20 ms chunks.
    VadOptions opts = VadOptions.defaults();
    List<Segment> speech = Vad.segments(samples, opts);
    for (Segment seg : speech) {
      System.out.printf("speech %.2f .. %.2f s%n", seg.startSeconds(rate), seg.endSeconds(rate));
    }
    try (Vad vad = new Vad(opts)) {
      for (int at = 0; at < samples.length; at += 320) {
        vad.push(samples, at, Math.min(320, samples.length - at));
      }
      vad.flush();
      check(vad.drain().equals(speech), "streaming VAD = offline VAD");
    }
    if (synthetic) {
      check(speech.size() == 1 && Math.abs(speech.get(0).start() - rate) <= 960
          && Math.abs(speech.get(0).end() - 2 * rate) <= 960, "one segment around the burst");
    }

    // A log-mel stream in LOG10 mode: frame for frame the offline result, bit for bit.
    LogMelOptions log10 = LogMelOptions.builder().mode(LogMelOptions.Mode.LOG10).build();
    try (LogMel mel = new LogMel(log10); LogMelStream stream = new LogMelStream(log10)) {
      MelSpectrogram offline = mel.compute(samples);
      int frames = 0;
      boolean same = true;
      for (int at = 0; at < samples.length || frames < offline.nFrames(); at += 1600) {
        if (at < samples.length) {
          stream.push(samples, at, Math.min(1600, samples.length - at));
        } else {
          stream.flush();
        }
        float[] ready = stream.readAll(); // frame-major: nMels floats per frame
        for (int f = 0; f < ready.length / 80; ++f, ++frames) {
          same &= java.util.Arrays.equals(java.util.Arrays.copyOfRange(ready, f * 80, f * 80 + 80),
              offline.frame(frames));
        }
      }
      System.out.printf("stream: %d frames, equal to offline: %b%n", frames, same);
      check(same && frames == offline.nFrames(), "stream = offline");
    }

    try (LogMel mel = new LogMel()) {
      mel.compute(new float[100]);
      check(false, "fewer samples than n_fft must fail");
    } catch (CoreException e) {
      System.out.println("as expected: " + e.getMessage());
      check(e.status() == Status.INVALID_ARGUMENT, "status");
    }
    System.out.println("ok");
  }

  /** AudioFile.read, or the samples themselves where libcore has no audio file support. */
  private static float[] readOrDecode(String path, short[] pcm, int rate) {
    try {
      AudioInfo info = AudioFile.info(path);
      System.out.println("wrote and read back: " + info);
      check(info.sampleRate() == rate && info.frames() == pcm.length && info.format() == AudioInfo.Format.WAV,
          "WAV header");
      float[] x = AudioFile.read(path, rate);
      for (int i = 0; i < pcm.length; ++i) {
        check(x[i] == pcm[i] / 32768f, "PCM16 reads back as int16 / 32768");
      }
      return x;
    } catch (CoreException e) {
      check(e.status() == Status.UNSUPPORTED, "only a build without audio_io may refuse: " + e.getMessage());
      System.out.println("libcore without audio file support: decoding in Java");
      return dev.libcore.Pcm.decode(pcm);
    }
  }

  /** A canonical PCM16 mono WAV file. */
  private static byte[] wavBytes(short[] pcm, int rate) {
    ByteBuffer b = ByteBuffer.allocate(44 + 2 * pcm.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + 2 * pcm.length).put(new byte[] {'W', 'A', 'V', 'E'});
    b.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate)
        .putInt(2 * rate).putShort((short) 2).putShort((short) 16);
    b.put(new byte[] {'d', 'a', 't', 'a'}).putInt(2 * pcm.length);
    for (short v : pcm) {
      b.putShort(v);
    }
    return b.array();
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.err.println("FAILED: " + what);
      System.exit(1);
    }
  }
}
