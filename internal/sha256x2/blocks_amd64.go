//go:build amd64 && !purego

package sha256x2

import "golang.org/x/sys/cpu"

// hasSHANI reports the instructions blocks2 uses: SHA (CPUID leaf 7, EBX bit 29), SSE4.1
// and SSSE3.
var hasSHANI = func() bool {
	if max, _, _, _ := cpuid(0, 0); max < 7 {
		return false
	}
	_, b, _, _ := cpuid(7, 0)
	return b&(1<<29) != 0 && cpu.X86.HasSSE41 && cpu.X86.HasSSSE3
}()

func cpuid(leaf, sub uint32) (a, b, c, d uint32)

// blocks2 runs n blocks of pa through state ha and n blocks of pb through state hb.
//
//go:noescape
func blocks2(ha, hb *[8]uint32, pa, pb *byte, n int)

func pairBlocks(ha, hb *[8]uint32, a, b []byte) {
	if !hasSHANI {
		genericBlocks(ha, a)
		genericBlocks(hb, b)
		return
	}
	if n := min(len(a), len(b)) / 64; n > 0 {
		blocks2(ha, hb, &a[0], &b[0], n)
	}
}
