package app

// The declarations' grammar; see apits_test.go.

// parseInterface reads "Name [extends A, B] { members }" after
// "export interface".
func (p *parser) parseInterface(f *tsFile) error {
	name, err := p.ident()
	if err != nil {
		return err
	}
	var it tsInterface
	if p.is("extends") {
		p.pos++
		for {
			base, err := p.ident()
			if err != nil {
				return err
			}
			it.extends = append(it.extends, base)
			if !p.is(",") {
				break
			}
			p.pos++
		}
	}
	if it.fields, err = p.parseMembers(); err != nil {
		return err
	}
	f.interfaces[name] = it
	return nil
}

// parseAlias reads "Name[<T, U>] = Type;" after "export type".
func (p *parser) parseAlias(f *tsFile) error {
	name, err := p.ident()
	if err != nil {
		return err
	}
	if p.is("<") {
		for p.pos++; !p.is(">"); p.pos++ {
			if p.peek(0).kind != 'i' && !p.is(",") {
				return p.errorf("want type parameters")
			}
		}
		p.pos++
	}
	if err := p.expect("="); err != nil {
		return err
	}
	t, err := p.parseType()
	if err != nil {
		return err
	}
	f.aliases[name] = t
	return p.expect(";")
}

// parseConstList reads "name = ['a', 'b'] as const;" after "export const".
func (p *parser) parseConstList(f *tsFile) error {
	name, err := p.ident()
	if err != nil {
		return err
	}
	p.pos += 2 // = [
	var vals []string
	for !p.is("]") {
		if p.peek(0).kind != 's' {
			return p.errorf("want a string in %s", name)
		}
		vals = append(vals, p.peek(0).text)
		p.pos++
		if p.is(",") {
			p.pos++
		}
	}
	p.pos++
	for _, w := range []string{"as", "const", ";"} {
		if err := p.expect(w); err != nil {
			return err
		}
	}
	f.constLists[name] = vals
	return nil
}

// parseMembers reads "{ name[?]: Type; ... }".
func (p *parser) parseMembers() ([]tsField, error) {
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	var fs []tsField
	for !p.is("}") {
		t := p.peek(0)
		if t.kind != 'i' && t.kind != 's' {
			return nil, p.errorf("want a member name")
		}
		p.pos++
		fl := tsField{name: t.text}
		if p.is("?") {
			fl.optional = true
			p.pos++
		}
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		typ, err := p.parseType()
		if err != nil {
			return nil, err
		}
		fl.typ = typ
		fs = append(fs, fl)
		if p.is(";") || p.is(",") {
			p.pos++
		} else if !p.is("}") {
			return nil, p.errorf("want ; after member %s", fl.name)
		}
	}
	p.pos++
	return fs, nil
}

// parseType reads a union of postfix types.
func (p *parser) parseType() (*tsType, error) {
	if p.is("|") {
		p.pos++
	}
	var ms []*tsType
	for {
		t, err := p.parsePostfix()
		if err != nil {
			return nil, err
		}
		ms = append(ms, t)
		if !p.is("|") {
			break
		}
		p.pos++
	}
	if len(ms) == 1 {
		return ms[0], nil
	}
	return &tsType{kind: "union", args: ms}, nil
}

func (p *parser) parsePostfix() (*tsType, error) {
	t, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	for p.is("[") {
		switch {
		case p.peek(1).text == "]":
			t = &tsType{kind: "array", elem: t}
			p.pos += 2
		case p.peek(1).text == "number" && p.peek(2).text == "]":
			t = &tsType{kind: "index", elem: t}
			p.pos += 3
		default:
			return nil, p.errorf("want [] or [number]")
		}
	}
	return t, nil
}

func (p *parser) parsePrimary() (*tsType, error) {
	t := p.peek(0)
	switch {
	case t.kind == 's':
		p.pos++
		return &tsType{kind: "string-literal", name: t.text}, nil
	case t.kind == 'n':
		p.pos++
		return &tsType{kind: "number-literal", name: t.text}, nil
	case p.is("{"):
		fs, err := p.parseMembers()
		return &tsType{kind: "object", fields: fs}, err
	case p.is("("):
		p.pos++
		inner, err := p.parseType()
		if err != nil {
			return nil, err
		}
		return inner, p.expect(")")
	case p.is("typeof"):
		p.pos++
		name, err := p.ident()
		return &tsType{kind: "typeof", name: name}, err
	case t.kind == 'i':
		p.pos++
		n := &tsType{kind: "name", name: t.text}
		if p.is("<") {
			for p.pos++; ; {
				a, err := p.parseType()
				if err != nil {
					return nil, err
				}
				n.args = append(n.args, a)
				if !p.is(",") {
					break
				}
				p.pos++
			}
			if err := p.expect(">"); err != nil {
				return nil, err
			}
		}
		return n, nil
	}
	return nil, p.errorf("want a type")
}

// parseCall reads "call<Type>('Method', args...)".
func (p *parser) parseCall(f *tsFile) error {
	at := p.pos
	p.pos += 2 // call <
	res, err := p.parseType()
	if err != nil {
		return err
	}
	if err := p.expect(">"); err != nil {
		return err
	}
	if err := p.expect("("); err != nil {
		return err
	}
	if p.peek(0).kind != 's' {
		return p.errorf("want the method's name")
	}
	c := tsCall{method: p.peek(0).text, result: res}
	p.pos++
	for p.is(",") {
		p.pos++
		a, err := p.parseArg(at)
		if err != nil {
			return err
		}
		c.args = append(c.args, a)
	}
	f.calls = append(f.calls, c)
	return p.expect(")")
}

// parseArg reads one argument of the call at token at.
func (p *parser) parseArg(at int) (tsArg, error) {
	t := p.peek(0)
	switch {
	case p.is("{"):
		var a tsArg
		for p.pos++; !p.is("}"); {
			key, err := p.ident()
			if err != nil {
				return a, err
			}
			a.keys = append(a.keys, key)
			if p.is(":") { // key: value, a literal or a name
				p.pos += 2
			}
			if p.is(",") {
				p.pos++
			}
		}
		p.pos++
		return a, nil
	case t.kind == 's' || t.kind == 't':
		p.pos++
		return tsArg{typ: &tsType{kind: "name", name: "string"}}, nil
	case t.kind == 'n':
		p.pos++
		return tsArg{typ: &tsType{kind: "name", name: "number"}}, nil
	case t.text == "true" || t.text == "false":
		p.pos++
		return tsArg{typ: &tsType{kind: "name", name: "boolean"}}, nil
	case t.kind == 'i':
		p.pos++
		typ, err := p.declared(t.text, at)
		return tsArg{typ: typ}, err
	}
	return tsArg{}, p.errorf("want an argument")
}

// declared finds the type of the parameter name nearest before token at:
// "name: Type" or "name = literal" right after "(" or ",".
func (p *parser) declared(name string, at int) (*tsType, error) {
	for i := at - 1; i > 0; i-- {
		if p.toks[i].kind != 'i' || p.toks[i].text != name || (p.toks[i-1].text != "(" && p.toks[i-1].text != ",") {
			continue
		}
		switch p.toks[i+1].text {
		case ":":
			q := &parser{toks: p.toks, pos: i + 2}
			return q.parseType()
		case "=":
			switch v := p.toks[i+2]; {
			case v.kind == 's':
				return &tsType{kind: "name", name: "string"}, nil
			case v.kind == 'n':
				return &tsType{kind: "name", name: "number"}, nil
			case v.text == "true" || v.text == "false":
				return &tsType{kind: "name", name: "boolean"}, nil
			}
		}
	}
	return nil, p.errorf("no declaration of the parameter %s", name)
}
