package app

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mcp-conductor/mcp-conductor/app/backend"
)

// notDeclared are JSON fields of the Go views that api.ts leaves out on
// purpose, by Go type and JSON name, each with why. An entry that no
// longer applies fails the test too.
var notDeclared = map[string]string{
	"config.Permissions.import":       "the page edits no import grant; the object it sends back spreads the one it got, so the field passes through",
	"sandbox.Result.toolCallsOmitted": "the Playground lists the calls it got and says nothing of those beyond the first 100",
	"sandbox.CallLog.method":          "the Playground shows a call's server and tool, not the mcpFactory method",
}

// events are the events whose data api.ts declares: the event, its Go
// value, and the interface it is read as.
var events = []struct {
	name string
	goes any
	ts   string
}{
	{EventExecution, backend.Execution{}, "Execution"},
	{EventDenoProgress, backend.InstallProgress{}, "InstallProgress"},
	{EventPythonProgress, backend.InstallProgress{}, "InstallProgress"},
	{EventRun, RunDone{}, "RunDone"},
}

// TestAPIMatchesTheBindings fails when frontend/src/api.ts and the Go
// bindings drift apart. Wails binds every exported method of *App, so:
//
//   - api.ts calls each of them, by name, and nothing else;
//   - each call's type argument matches the method's result (void for an
//     error alone) and its arguments match the parameters, in number and
//     type (an object literal by its keys);
//   - a Go struct matches a TS object type (an interface, with what it
//     extends, or an object literal) field by field: the same JSON names,
//     both ways, and matching types; a struct may also match a
//     Record<K, V> whose K is a list of names (PermissionName);
//   - strings match string or string literals, numbers number, bools
//     boolean, time.Time string, slices T[], maps Record<string, V>, any
//     unknown; "| null" is allowed only where Go can send null (a pointer,
//     slice, map or interface).
//
// Whether a field is optional (?) is not compared with omitempty. The
// event data api.ts declares is checked the same way (events).
func TestAPIMatchesTheBindings(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "frontend", "src", "api.ts"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseTS(string(src))
	if err != nil {
		t.Fatalf("api.ts: %v", err)
	}
	c := &contract{ts: f, unused: map[string]bool{}, goOf: map[string]map[string]bool{}}
	for k := range notDeclared {
		c.unused[k] = true
	}

	app := reflect.TypeFor[*App]()
	called := map[string]bool{}
	for _, call := range f.calls {
		called[call.method] = true
		m, ok := app.MethodByName(call.method)
		if !ok {
			t.Errorf("api.ts calls %s, which App does not have", call.method)
			continue
		}
		c.checkCall(call, m.Type)
	}
	for m := range app.Methods() {
		if !called[m.Name] {
			t.Errorf("App.%s is bound but api.ts never calls it", m.Name)
		}
	}
	for _, ev := range events {
		c.match("event "+ev.name, reflect.TypeOf(ev.goes), &tsType{kind: "name", name: ev.ts})
	}
	for k := range c.unused {
		t.Errorf("notDeclared lists %s, but api.ts declares it or Go has no such field", k)
	}
	c.checkGoComments(string(src))
	for _, p := range c.problems {
		t.Error(p)
	}
}

// goComment is a doc comment's "(Go: pkg.Type)" and the declaration it
// sits on.
var goComment = regexp.MustCompile(`\(Go: ([A-Za-z]+\.[A-Za-z]+)\)(?:[^*]|\*[^/])*\*/\s*export (?:interface|type) ([A-Za-z]+)`)

// checkGoComments fails a "(Go: pkg.Type)" doc comment in api.ts that
// names a type other than the one the declaration was compared with, so
// the comments cannot outlive a move or a rename on the Go side.
func (c *contract) checkGoComments(src string) {
	for _, m := range goComment.FindAllStringSubmatch(src, -1) {
		said, name := m[1], m[2]
		got := c.goOf[name]
		switch {
		case len(got) == 0:
			c.fail(name, "api.ts says it is Go's %s, but no binding or event is compared with it", said)
		case !got[said]:
			c.fail(name, "api.ts says it is Go's %s, but it is compared with %v", said, slices.Sorted(maps.Keys(got)))
		}
	}
}

// contract compares Go types with api.ts's.
type contract struct {
	ts       *tsFile
	unused   map[string]bool            // notDeclared entries not met yet
	goOf     map[string]map[string]bool // TS declaration -> Go types compared with it
	problems []string
}

func (c *contract) fail(path, format string, args ...any) {
	c.problems = append(c.problems, path+": "+fmt.Sprintf(format, args...))
}

var errorType = reflect.TypeFor[error]()

// checkCall compares one call<T>('Method', args) with the method's type.
func (c *contract) checkCall(call tsCall, m reflect.Type) {
	path := "App." + call.method
	outs := []reflect.Type{}
	for o := range m.Outs() {
		if o != errorType {
			outs = append(outs, o)
		}
	}
	switch {
	case len(outs) == 0:
		if call.result.kind != "name" || call.result.name != "void" {
			c.fail(path, "returns nothing but error; api.ts expects %s", call.result)
		}
	case len(outs) == 1:
		c.match(path+" result", outs[0], call.result)
	default:
		c.fail(path, "has %d results besides error; a binding returns one", len(outs))
	}
	if got, want := len(call.args), m.NumIn()-1; got != want {
		c.fail(path, "api.ts passes %d arguments, the method takes %d", got, want)
		return
	}
	for i, a := range call.args {
		in, argPath := m.In(i+1), fmt.Sprintf("%s argument %d", path, i+1)
		if a.keys == nil {
			c.match(argPath, in, a.typ)
			continue
		}
		if in.Kind() != reflect.Struct {
			c.fail(argPath, "api.ts passes an object, Go takes %s", in)
			continue
		}
		c.sameNames(argPath, in, jsonFields(in), a.keys)
	}
}

// match compares a Go type with a TS type.
func (c *contract) match(path string, g reflect.Type, ts *tsType) {
	if ts.kind == "name" && g.Kind() != reflect.Interface {
		if _, ok := c.ts.interfaces[ts.name]; ok || c.ts.aliases[ts.name] != nil {
			if c.goOf[ts.name] == nil {
				c.goOf[ts.name] = map[string]bool{}
			}
			c.goOf[ts.name][strings.TrimPrefix(g.String(), "*")] = true
		}
	}
	ts = c.ts.resolve(ts)
	if ts.kind == "union" {
		var rest []*tsType
		for _, m := range ts.args {
			if m.kind == "name" && (m.name == "null" || m.name == "undefined") {
				switch g.Kind() {
				case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
				default:
					c.fail(path, "api.ts allows null, but Go's %s is never null", g)
				}
				continue
			}
			rest = append(rest, m)
		}
		if len(rest) == 1 {
			c.match(path, g, rest[0])
			return
		}
		ts = &tsType{kind: "union", args: rest}
	}
	if g.Kind() == reflect.Pointer {
		g = g.Elem()
	}
	isName := func(names ...string) bool { return ts.kind == "name" && slices.Contains(names, ts.name) }
	switch {
	case g == reflect.TypeFor[time.Time]():
		if !isName("string") {
			c.fail(path, "Go sends a time as a string; api.ts says %s", ts)
		}
	case g.Kind() == reflect.String:
		if !isName("string") && !stringLiterals(ts) {
			c.fail(path, "Go sends a string; api.ts says %s", ts)
		}
	case g.Kind() == reflect.Bool:
		if !isName("boolean") {
			c.fail(path, "Go sends a bool; api.ts says %s", ts)
		}
	case g.Kind() >= reflect.Int && g.Kind() <= reflect.Float64:
		if !isName("number") {
			c.fail(path, "Go sends a number; api.ts says %s", ts)
		}
	case g.Kind() == reflect.Interface:
		if !isName("unknown", "any") {
			c.fail(path, "Go sends any value; api.ts says %s", ts)
		}
	case g.Kind() == reflect.Slice:
		if ts.kind != "array" {
			c.fail(path, "Go sends a list; api.ts says %s", ts)
			return
		}
		c.match(path+"[]", g.Elem(), ts.elem)
	case g.Kind() == reflect.Map:
		if !isName("Record") || len(ts.args) != 2 || g.Key().Kind() != reflect.String {
			c.fail(path, "Go sends an object of %s; api.ts says %s", g.Elem(), ts)
			return
		}
		c.match(path+"[key]", g.Key(), ts.args[0])
		c.match(path+"[value]", g.Elem(), ts.args[1])
	case g.Kind() == reflect.Struct:
		c.matchStruct(path, g, ts)
	default:
		c.fail(path, "no rule for Go's %s", g)
	}
}

// matchStruct compares a Go struct with an object type or a Record over a
// list of names.
func (c *contract) matchStruct(path string, g reflect.Type, ts *tsType) {
	fields := jsonFields(g)
	if ts.kind == "name" && ts.name == "Record" && len(ts.args) == 2 {
		keys, ok := c.ts.names(ts.args[0])
		if !ok {
			c.fail(path, "api.ts's %s has no list of keys", ts)
			return
		}
		c.sameNames(path, g, fields, keys)
		for _, f := range fields {
			if slices.Contains(keys, f.name) {
				c.match(path+"."+f.name, f.typ, ts.args[1])
			}
		}
		return
	}
	if ts.kind != "object" {
		c.fail(path, "Go sends an object (%s); api.ts says %s", g, ts)
		return
	}
	var names []string
	byName := map[string]*tsType{}
	for _, f := range ts.fields {
		names = append(names, f.name)
		byName[f.name] = f.typ
	}
	c.sameNames(path, g, fields, names)
	for _, f := range fields {
		if t, ok := byName[f.name]; ok {
			c.match(path+"."+f.name, f.typ, t)
		}
	}
}

// sameNames reports the JSON names one side has and the other does not,
// but those notDeclared lists.
func (c *contract) sameNames(path string, g reflect.Type, fields []goField, ts []string) {
	for _, f := range fields {
		key := g.String() + "." + f.name
		switch {
		case slices.Contains(ts, f.name):
		case notDeclared[key] != "":
			delete(c.unused, key)
		default:
			c.fail(path, "Go's %s has the JSON field %q, which api.ts does not declare", g, f.name)
		}
	}
	for _, n := range ts {
		if !slices.ContainsFunc(fields, func(f goField) bool { return f.name == n }) {
			c.fail(path, "api.ts declares %q, which Go's %s does not have", n, g)
		}
	}
}

// goField is one field of a struct's JSON encoding.
type goField struct {
	name string
	typ  reflect.Type
}

// jsonFields lists what encoding/json writes for a struct: exported
// fields under their JSON names, embedded structs' fields in place.
func jsonFields(g reflect.Type) []goField {
	var out []goField
	for f := range g.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-":
			continue
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			out = append(out, jsonFields(f.Type)...)
			continue
		case name == "":
			name = f.Name
		}
		out = append(out, goField{name, f.Type})
	}
	return out
}
