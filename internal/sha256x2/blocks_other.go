//go:build !amd64 || purego

package sha256x2

func pairBlocks(ha, hb *[8]uint32, a, b []byte) {
	genericBlocks(ha, a)
	genericBlocks(hb, b)
}
