package sandbox

import (
	"crypto/sha256"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/mcp-conductor/mcp-conductor/conductor/allowlist"
	"github.com/mcp-conductor/mcp-conductor/conductor/skills"
)

// skillSet is what one process may import of the skills folder: the skill
// files as they were when it started, each mapped by the import map
// ("skills/<name>" → its file) and readable to it, nothing else of the
// folder. A process whose set is not the folder's current one (same) is
// replaced, since the kernel rules name the files it was started with.
type skillSet struct {
	files     []skills.File
	importMap string // the process's import map (allowlist and skills)
}

// same reports whether s and o hold the same versions of the same files
// (fsx.Version: a skill saved again is a new file, even at the same size
// within one tick of the file system's clock).
func (s skillSet) same(o skillSet) bool {
	return slices.EqualFunc(s.files, o.files, func(a, b skills.File) bool {
		return a.Name == b.Name && a.Version.Same(b.Version)
	})
}

// currentSkills reads the skills folder. An unreadable folder gives no
// skills: code then cannot import any.
func (r *Runner) currentSkills() skillSet {
	files, err := r.skills.Files()
	if err != nil {
		return skillSet{}
	}
	var set skillSet
	for _, f := range files {
		if strings.Contains(f.Path, ",") {
			continue // Deno's permission lists cannot spell a comma
		}
		set.files = append(set.files, f)
	}
	return set
}

// paths are the skill files, for Deno's read grant and the kernel rules.
func (s skillSet) paths() []string {
	out := make([]string, len(s.files))
	for i, f := range s.files {
		out[i] = f.Path
	}
	return out
}

// check judges an import specifier: ok is false when it does not name a
// skill (it is then the allowlist's to judge); otherwise err refuses a
// specifier that is not exactly "skills/<name>" of a saved skill.
func (s skillSet) check(specifier string) (ok bool, err error) {
	name, ok, err := skills.NameOf(specifier)
	if !ok || err != nil {
		return ok, err
	}
	if !slices.ContainsFunc(s.files, func(f skills.File) bool { return f.Name == name }) {
		return true, fmt.Errorf("import %q: there is no skill named %s (list_skills lists the saved ones)", specifier, name)
	}
	return true, nil
}

// SkillImports lists the import specifiers of a skill's source, refusing
// what an execution could not import (packages off the allowlist, other
// imports, skills that do not exist) as Run would.
func (r *Runner) SkillImports(source string) ([]string, error) {
	have := r.currentSkills()
	var specs []string
	// A skill is loaded by Deno as written: every import counts, even one
	// used only for types.
	err := walkImports(source, `{"compilerOptions":{"verbatimModuleSyntax":true}}`, func(s string) error {
		specs = append(specs, s)
		if ok, err := have.check(s); ok {
			return err
		}
		_, _, err := r.policy.Packages.Resolve(s)
		return err
	})
	if err != nil {
		return nil, err
	}
	return slices.Compact(slices.Sorted(slices.Values(specs))), nil
}

// skillPackages gives add the allowlisted packages the named skills import,
// and those of the skills they import in turn: the lockfile of the process
// that runs code importing them must list those packages, and the
// allowlist's install step may still be running in the background.
func (r *Runner) skillPackages(names []string, add func(*allowlist.Spec)) error {
	seen := map[string]bool{}
	for len(names) > 0 {
		name := names[0]
		names = names[1:]
		if seen[name] {
			continue
		}
		seen[name] = true
		src, err := r.skills.Source(name)
		if err != nil {
			return fmt.Errorf("import skills/%s: %w", name, err)
		}
		specs, err := r.skillImports.of(src)
		if err != nil {
			return fmt.Errorf("skill %s: %w", name, err)
		}
		var refused []string
		for _, s := range specs {
			if n, ok, err := skills.NameOf(s); ok || err != nil {
				names = append(names, n)
				if err != nil {
					refused = append(refused, err.Error())
				}
				continue
			}
			_, spec, err := r.policy.Packages.Resolve(s)
			add(spec)
			if err != nil {
				refused = append(refused, err.Error())
			}
		}
		if len(refused) > 0 {
			return fmt.Errorf("skill %s: %w", name, &CodeError{Kind: KindDependency, Message: strings.Join(slices.Compact(slices.Sorted(slices.Values(refused))), "\n")})
		}
	}
	return nil
}

// importCache remembers the import specifiers of skill sources, by their
// content: a run importing skills needs them (skillPackages), and parsing
// a source with esbuild costs about a millisecond, for every run. Keyed by
// a hash of the source itself, an entry can never be stale; the cache is
// emptied when it reaches maxCachedSources (skills are few; this bounds a
// folder whose skills are saved again and again).
type importCache struct {
	mu      sync.Mutex
	sources map[[sha256.Size]byte][]string
}

const maxCachedSources = 256

// of returns the specifiers src imports (types-only imports included, as
// Deno loads them when it runs the source itself).
func (c *importCache) of(src string) ([]string, error) {
	key := sha256.Sum256([]byte(src))
	c.mu.Lock()
	specs, ok := c.sources[key]
	c.mu.Unlock()
	if ok {
		return specs, nil
	}
	err := walkImports(src, `{"compilerOptions":{"verbatimModuleSyntax":true}}`, func(s string) error {
		specs = append(specs, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sources == nil || len(c.sources) >= maxCachedSources {
		c.sources = map[[sha256.Size]byte][]string{}
	}
	c.sources[key] = specs
	return specs, nil
}

// SkillsDir is the skills folder code imports from.
func (r *Runner) SkillsDir() string { return r.skills.Dir }

// fileURL is path as a file: URL (a Windows path gets its leading slash).
func fileURL(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
