/*
 * A stand-in bcryptprimitives.dll for Wine 8.0, which lacks ProcessPrng.
 *
 * Rust's standard library (and so deno.exe) imports ProcessPrng from
 * bcryptprimitives.dll since Rust 1.78; Wine 8.0's loader then refuses to
 * start the program. This DLL, put beside deno.exe (a program's own folder
 * is searched before the system's), provides that one function through
 * RtlGenRandom (advapi32's SystemFunction036), which Wine has. It is for the
 * Wine test lane only: real Windows has ProcessPrng, and nothing ships this.
 *
 * Built with Debian's mingw-w64 by .ci/wine/setup.sh.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
