package icon

import (
	"bytes"
	"encoding/binary"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommittedIconsAreCurrent fails when build/ holds icons that the code
// no longer draws: run go generate ./app/icon. Pixels may differ by a little,
// since some CPUs fuse floating-point operations.
func TestCommittedIconsAreCurrent(t *testing.T) {
	for name, want := range BuildFiles() {
		got, err := os.ReadFile(filepath.Join("..", "..", "build", name))
		if err != nil {
			t.Errorf("%s: %v (run go generate ./app/icon)", name, err)
			continue
		}
		if bytes.Equal(got, want) {
			continue
		}
		if !similar(t, name, got, want) {
			t.Errorf("build/%s is stale: run go generate ./app/icon", name)
		}
	}
}

// similar compares a PNG, or each image of an ICO, by pixels.
func similar(t *testing.T, name string, got, want []byte) bool {
	if strings.HasSuffix(name, ".png") {
		return samePixels(t, got, want)
	}
	g, w := icoEntries(got), icoEntries(want)
	if len(g) == 0 || len(g) != len(w) {
		return false
	}
	for i := range g {
		if !samePixels(t, g[i], w[i]) {
			return false
		}
	}
	return true
}

// icoEntries returns the images of an ICO file, nil if it is malformed.
func icoEntries(b []byte) [][]byte {
	if len(b) < 6 {
		return nil
	}
	n := int(binary.LittleEndian.Uint16(b[4:6]))
	var out [][]byte
	for i := 0; i < n; i++ {
		if len(b) < 6+16*(i+1) {
			return nil
		}
		e := b[6+16*i : 6+16*(i+1)]
		size, off := binary.LittleEndian.Uint32(e[8:12]), binary.LittleEndian.Uint32(e[12:16])
		if uint64(off)+uint64(size) > uint64(len(b)) {
			return nil
		}
		out = append(out, b[off:off+size])
	}
	return out
}

// samePixels reports whether two PNGs match within 2 levels a channel.
func samePixels(t *testing.T, a, b []byte) bool {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Log(err)
		return false
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil || ia.Bounds() != ib.Bounds() {
		return false
	}
	for y := ia.Bounds().Min.Y; y < ia.Bounds().Max.Y; y++ {
		for x := ia.Bounds().Min.X; x < ia.Bounds().Max.X; x++ {
			ca := color.NRGBAModel.Convert(ia.At(x, y)).(color.NRGBA)
			cb := color.NRGBAModel.Convert(ib.At(x, y)).(color.NRGBA)
			for _, d := range []int{int(ca.R) - int(cb.R), int(ca.G) - int(cb.G), int(ca.B) - int(cb.B), int(ca.A) - int(cb.A)} {
				if d > 2 || d < -2 {
					return false
				}
			}
		}
	}
	return true
}

func TestBadgesChangeTheCorner(t *testing.T) {
	tests := []struct {
		badge  Badge
		wantRG func(r, g, b uint8) bool
	}{
		{BadgeReady, func(r, g, b uint8) bool { return g > r && g > b }},
		{BadgeWarning, func(r, g, b uint8) bool { return r > b && g > b }},
		{BadgeError, func(r, g, b uint8) bool { return r > g && r > b }},
		{NoBadge, func(r, g, b uint8) bool { return b > r && b > g }}, // the indigo background
	}
	for _, tt := range tests {
		img := Draw(64, tt.badge)
		c := img.NRGBAAt(int(badgeC.x*64), int(badgeC.y*64))
		if c.A != 255 || !tt.wantRG(c.R, c.G, c.B) {
			t.Errorf("badge %d: corner pixel %+v has the wrong colour", tt.badge, c)
		}
	}
}

func TestDrawIsNotBlank(t *testing.T) {
	for _, size := range []int{16, 22, 64, 256} {
		img := Draw(size, NoBadge)
		colours := map[[4]uint8]bool{}
		for i := 0; i < len(img.Pix); i += 4 {
			colours[[4]uint8(img.Pix[i:i+4])] = true
		}
		if len(colours) < 10 {
			t.Errorf("size %d: only %d colours", size, len(colours))
		}
		if c := img.NRGBAAt(0, 0); c.A != 0 {
			t.Errorf("size %d: the corner should be transparent, is %+v", size, c)
		}
		if c := img.NRGBAAt(size/2, size/2); c != (struct{ R, G, B, A uint8 }{255, 255, 255, 255}) {
			t.Errorf("size %d: the hub should be white, is %+v", size, c)
		}
	}
}

func TestICO(t *testing.T) {
	sizes := []int{16, 32, 256}
	b := ICO(sizes, NoBadge)
	var hdr [3]uint16
	if err := binary.Read(bytes.NewReader(b), binary.LittleEndian, &hdr); err != nil {
		t.Fatal(err)
	}
	if hdr != [3]uint16{0, 1, uint16(len(sizes))} {
		t.Fatalf("header %v", hdr)
	}
	for i, s := range sizes {
		e := b[6+16*i : 6+16*(i+1)]
		size := binary.LittleEndian.Uint32(e[8:12])
		off := binary.LittleEndian.Uint32(e[12:16])
		img, err := png.Decode(bytes.NewReader(b[off : off+size]))
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if img.Bounds().Dx() != s {
			t.Errorf("entry %d is %d wide, want %d", i, img.Bounds().Dx(), s)
		}
		if want := uint8(s % 256); e[0] != want {
			t.Errorf("entry %d width byte %d, want %d", i, e[0], want)
		}
	}
}
