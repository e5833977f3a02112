package sandbox

// hostSDDL is the access list the conductor gives its own process on
// Windows (host_windows.go): its user may wait for it and ask its name
// (SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, 0x101000) and nothing
// else, SYSTEM everything. So no process of that user, sandboxed code with
// allow-run included (Deno.kill(Deno.ppid), taskkill), can open the
// conductor to end it, write its memory or start threads in it, even where
// no kernel layer runs. Handles made before (the IDE's, which started the
// conductor) keep their rights, so the IDE can still stop it; so can the
// conductor itself, and an administrator. Plain data, tested everywhere.
func hostSDDL(userSID string) string {
	return "D:P(A;;0x101000;;;" + userSID + ")(A;;GA;;;SY)"
}
