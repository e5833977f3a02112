package sandbox

// ErrorKind classifies why an execution failed.
type ErrorKind string

// The kinds of execution failure reported to clients.
const (
	KindSyntax     ErrorKind = "syntax"     // the code does not parse
	KindRuntime    ErrorKind = "runtime"    // the code threw or exited non-zero
	KindTimeout    ErrorKind = "timeout"    // the code ran past its time limit
	KindPermission ErrorKind = "permission" // the code needed a permission it was not given
	KindDependency ErrorKind = "dependency" // an import is not allowed or could not be installed
	KindLimit      ErrorKind = "limit"      // memory or output limits were exceeded
)
