package core

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// Helpers of the audio tests: synthetic signals, a WAV writer, the test
// data folder, closed-handle checks.

// sine is n samples of amp*sin(2*pi*freq*t) at rate.
func sine(n int, rate, freq, amp float64) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/rate))
	}
	return x
}

// gaussian adds white Gaussian noise of standard deviation sd to x
// (Box-Muller over the tests' deterministic generator).
func gaussian(x []float32, sd float64, seed uint64) {
	g := lcg(seed)
	for i := range x {
		u1 := g.uniform()
		for u1 == 0 {
			u1 = g.uniform()
		}
		u2 := g.uniform()
		x[i] += float32(sd * math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2))
	}
}

// scene is background noise at -60 dBFS (sd 1e-3) over total seconds, with
// a burst of white noise of standard deviation 0.1 over [from, to) seconds.
func scene(rate int, total, from, to float64, seed uint64) []float32 {
	x := make([]float32, int(total*float64(rate)))
	gaussian(x, 1e-3, seed)
	burst := x[int(from*float64(rate)):int(to*float64(rate))]
	gaussian(burst, 0.1, seed+1)
	return x
}

// slaneyMel is librosa's Slaney mel scale (htk=False): linear below 1 kHz,
// logarithmic above.
func slaneyMel(hz float64) float64 {
	const fsp = 200.0 / 3
	const minLog = 1000.0
	if hz < minLog {
		return hz / fsp
	}
	return minLog/fsp + math.Log(hz/minLog)/(math.Log(6.4)/27)
}

// nearestBand is the mel band whose centre (librosa.filters.mel: n_mels+2
// points equally spaced in mel from fmin to fmax, band m centred on point
// m+1) is nearest to hz in mel: computed here, independently of libcore.
func nearestBand(hz float64, nMels int, fmin, fmax float64) int {
	lo, hi := slaneyMel(fmin), slaneyMel(fmax)
	step := (hi - lo) / float64(nMels+1)
	best, dist := 0, math.Inf(1)
	for m := 0; m < nMels; m++ {
		if d := math.Abs(lo + float64(m+1)*step - slaneyMel(hz)); d < dist {
			best, dist = m, d
		}
	}
	return best
}

// writeWAV writes a canonical 44-byte-header PCM16 WAV file by hand:
// frames interleaved (len(pcm) is a multiple of channels).
func writeWAV(t *testing.T, path string, rate, channels int, pcm []int16) {
	t.Helper()
	data := 2 * len(pcm)
	b := make([]byte, 0, 44+data)
	var tmp [4]byte
	le32 := func(v uint32) { binary.LittleEndian.PutUint32(tmp[:], v); b = append(b, tmp[:4]...) }
	le16 := func(v uint16) { binary.LittleEndian.PutUint16(tmp[:], v); b = append(b, tmp[:2]...) }
	b = append(b, "RIFF"...)
	le32(uint32(36 + data))
	b = append(b, "WAVEfmt "...)
	le32(16)
	le16(1) // PCM
	le16(uint16(channels))
	le32(uint32(rate))
	le32(uint32(rate * channels * 2)) // byte rate
	le16(uint16(channels * 2))        // block align
	le16(16)                          // bits per sample
	b = append(b, "data"...)
	le32(uint32(data))
	for _, v := range pcm {
		le16(uint16(v))
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// testdata returns the path of a file of the reference data folder
// ($LIBCORE_TESTDATA, else ../shared/testdata beside the source tree: the
// meson test says where that is with $CORE_GO_SOURCE_ROOT, and a go test
// run by hand finds it above the working directory). The test is skipped
// when the file is missing, and fails instead when
// LIBCORE_REQUIRE_TESTDATA=1 (CI never passes by skipping).
func testdata(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("LIBCORE_TESTDATA")
	if dir == "" {
		dir = findSharedTestdata()
	}
	if dir != "" {
		p := filepath.Join(dir, name)
		if f, err := os.Open(p); err == nil {
			f.Close()
			return p
		}
	}
	if os.Getenv("LIBCORE_REQUIRE_TESTDATA") == "1" {
		t.Fatalf("test data %s missing (folder %q) and LIBCORE_REQUIRE_TESTDATA=1", name, dir)
	}
	t.Skipf("test data %s not found (folder %q; set LIBCORE_TESTDATA)", name, dir)
	return ""
}

func findSharedTestdata() string {
	if root := os.Getenv("CORE_GO_SOURCE_ROOT"); root != "" {
		return filepath.Join(root, "..", "shared", "testdata")
	}
	d, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "meson_options.txt")); err == nil {
			if dir := filepath.Join(d, "..", "shared", "testdata"); isDir(dir) {
				return dir
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// readF32 reads a headerless little-endian float32 file.
func readF32(t *testing.T, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, len(b)/4)
	for i := range x {
		x[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return x
}

// wantClosed checks the error of a call on a closed handle.
func wantClosed(t *testing.T, err error) {
	t.Helper()
	wantErr(t, err, ErrInvalidArgument, "closed")
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("%v does not match ErrClosed", err)
	}
}

// sameBits compares two float32 slices bit for bit (NaN equal to NaN of
// the same bits).
func sameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: value %d = %.9g, want %.9g (bit for bit)", what, i, got[i], want[i])
		}
	}
}

// transpose turns a frame-major block (frames x nMels) into mel-major
// (nMels x frames), the layout of Spectrogram.Data.
func transpose(frameMajor []float32, nMels int) []float32 {
	frames := len(frameMajor) / nMels
	out := make([]float32, len(frameMajor))
	for f := 0; f < frames; f++ {
		for m := 0; m < nMels; m++ {
			out[m*frames+f] = frameMajor[f*nMels+m]
		}
	}
	return out
}

// writeBadAudioFiles writes three files in dir that are not audio a reader
// accepts: text named .wav, a 0-byte file, and a WAV whose data chunk
// announces more than the file holds.
func writeBadAudioFiles(t *testing.T, dir string) (garbage, zero, truncated string) {
	t.Helper()
	garbage = filepath.Join(dir, "garbage.wav")
	if err := os.WriteFile(garbage, []byte("this is not audio, only some text in a file......"), 0o600); err != nil {
		t.Fatal(err)
	}
	zero = filepath.Join(dir, "zero.wav")
	if err := os.WriteFile(zero, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	truncated = filepath.Join(dir, "truncated.wav")
	writeWAV(t, truncated, 16000, 1, pcmRamp(1000))
	b, err := os.ReadFile(truncated)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(truncated, b[:len(b)-500], 0o600); err != nil {
		t.Fatal(err)
	}
	return garbage, zero, truncated
}
