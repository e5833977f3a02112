package fsx

// OwnerOnlySDDL is the security descriptor, in Windows' SDDL, that Restrict
// gives a file (dir false) or folder of the conductor on Windows: owned by
// the user sid, and a protected access list ("P": nothing inherited from the
// parent) with one entry, full file access ("FA") for that user; a folder's
// entry is inherited by files ("OI") and folders ("CI") made inside it. It
// is plain data, so it is tested on every platform.
func OwnerOnlySDDL(sid string, dir bool) string {
	inherit := ""
	if dir {
		inherit = "OICI"
	}
	return "O:" + sid + "D:P(A;" + inherit + ";FA;;;" + sid + ")"
}
