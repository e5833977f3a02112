// Package icon draws MCP Conductor's icons: the app icon and the tray icon
// with a status badge. Everything is drawn from geometry, so every size is
// sharp and the committed PNGs under build/ can be regenerated exactly
// (go generate ./app/icon).
package icon

//go:generate go run ./gen -out ../../build

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Badge is the status dot drawn on the tray icon.
type Badge int

const (
	// NoBadge draws the plain app icon.
	NoBadge Badge = iota
	// BadgeReady is a green dot: the endpoint is serving and Deno is usable.
	BadgeReady
	// BadgeWarning is an amber dot: Deno is missing, code cannot run yet.
	BadgeWarning
	// BadgeError is a red dot: something failed and needs the user.
	BadgeError
)

var (
	gradFrom = [3]float64{0x4f, 0x46, 0xe5} // indigo
	gradTo   = [3]float64{0x7c, 0x3a, 0xed} // violet
	badgeRGB = map[Badge][3]float64{
		BadgeReady:   {0x16, 0xa3, 0x4a},
		BadgeWarning: {0xf5, 0x9e, 0x0b},
		BadgeError:   {0xdc, 0x26, 0x26},
	}
)

// geometry of the glyph in unit coordinates (0..1, y down): a hub joined to
// three satellites, the conductor between an AI client and its tools.
var (
	hub        = pt{0.5, 0.52}
	hubR       = 0.115
	satR       = 0.08
	spokeW     = 0.05
	satellites = []pt{
		polar(hub, 0.255, -150),
		polar(hub, 0.255, -30),
		polar(hub, 0.255, 90),
	}
	badgeC   = pt{0.79, 0.79}
	badgeR   = 0.19
	badgeGap = 0.06
)

type pt struct{ x, y float64 }

func polar(c pt, r, deg float64) pt {
	a := deg * math.Pi / 180
	return pt{c.x + r*math.Cos(a), c.y + r*math.Sin(a)}
}

// Draw renders the icon at size×size pixels.
func Draw(size int, b Badge) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	// px converts a distance in unit coordinates to coverage of a pixel.
	cover := func(d float64) float64 { return clamp(0.5 - d*s) }
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			p := pt{(float64(x) + 0.5) / s, (float64(y) + 0.5) / s}
			t := (p.x + p.y) / 2
			var c [3]float64
			for i := range c {
				c[i] = gradFrom[i] + (gradTo[i]-gradFrom[i])*t
			}
			a := cover(roundedSquare(p, 0.04, 0.225))

			g := cover(glyph(p))
			for i := range c {
				c[i] = c[i]*(1-g) + 255*g
			}

			if b != NoBadge {
				d := length(sub(p, badgeC))
				gap := cover(d - badgeR - badgeGap)
				a *= 1 - gap
				bc := cover(d - badgeR)
				rgb := badgeRGB[b]
				if bc > 0 {
					// the badge stands alone in its gap: its colour over nothing.
					for i := range c {
						c[i] = c[i]*(1-bc) + rgb[i]*bc
					}
					a = a*(1-bc) + bc
				}
			}
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8(math.Round(c[0])), G: uint8(math.Round(c[1])), B: uint8(math.Round(c[2])),
				A: uint8(math.Round(a * 255)),
			})
		}
	}
	return img
}

// PNG renders the icon as PNG bytes.
func PNG(size int, b Badge) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, Draw(size, b)); err != nil {
		panic(fmt.Sprintf("encoding icon: %v", err)) // cannot fail on an in-memory image
	}
	return buf.Bytes()
}

// ICO wraps PNG images (each at most 256 pixels wide) in a Windows .ico
// container; Windows Vista and later read PNG-compressed entries.
func ICO(sizes []int, b Badge) []byte {
	var body [][]byte
	for _, s := range sizes {
		body = append(body, PNG(s, b))
	}
	var buf bytes.Buffer
	binary.Write(&buf, binary.LittleEndian, [3]uint16{0, 1, uint16(len(sizes))})
	offset := 6 + 16*len(sizes)
	for i, s := range sizes {
		dim := uint8(s)
		if s >= 256 {
			dim = 0 // 0 means 256
		}
		binary.Write(&buf, binary.LittleEndian, struct {
			W, H, Colors, Reserved uint8
			Planes, BPP            uint16
			Size, Offset           uint32
		}{dim, dim, 0, 0, 1, 32, uint32(len(body[i])), uint32(offset)})
		offset += len(body[i])
	}
	for _, p := range body {
		buf.Write(p)
	}
	return buf.Bytes()
}

// glyph is the signed distance to the hub-and-spokes shape.
func glyph(p pt) float64 {
	d := length(sub(p, hub)) - hubR
	for _, s := range satellites {
		d = math.Min(d, length(sub(p, s))-satR)
		d = math.Min(d, segment(p, hub, s)-spokeW/2)
	}
	return d
}

// roundedSquare is the signed distance to a square inset by margin with
// corner radius r.
func roundedSquare(p pt, margin, r float64) float64 {
	h := 0.5 - margin - r
	qx := math.Abs(p.x-0.5) - h
	qy := math.Abs(p.y-0.5) - h
	out := length(pt{math.Max(qx, 0), math.Max(qy, 0)})
	return out + math.Min(math.Max(qx, qy), 0) - r
}

func segment(p, a, b pt) float64 {
	pa, ba := sub(p, a), sub(b, a)
	h := clamp((pa.x*ba.x + pa.y*ba.y) / (ba.x*ba.x + ba.y*ba.y))
	return length(sub(pa, pt{ba.x * h, ba.y * h}))
}

func sub(a, b pt) pt          { return pt{a.x - b.x, a.y - b.y} }
func length(a pt) float64     { return math.Hypot(a.x, a.y) }
func clamp(v float64) float64 { return math.Max(0, math.Min(1, v)) }
