package calc

import (
	"strconv"
	"strings"
)

// The parser mirrors the rules of CPython 3.11's PEG grammar (Grammar/python.gram) that the
// tokens of Allowed can reach, in the same order and with the same memoized rules, because
// the error CPython reports depends on how far each of its two passes fetches tokens:
//   - pass 1 runs the grammar proper; pass 2 ("invalid rules") runs again after a failure,
//     with the invalid_* rules enabled that raise the specific messages;
//   - fetching the end of input while a parenthesis is open raises "'(' was never closed",
//     and fetching a bad token raises the tokenizer's error, both at once;
//   - after both passes fail, a tokenizer error later in the input wins over the parser's
//     message, and failing that the message is the generic "invalid syntax".

type nodeOp uint8

const (
	opConst nodeOp = iota // val
	opNeg                 // -x
	opPos                 // +x
	opAdd
	opSub
	opMul
	opDiv
	opFloorDiv
	opPow
	opCall    // x(y): y is an opArg node, or nil for x()
	opArg     // a call argument x, passed as arg says
	opStarred // *x where only a parse failure can follow
)

type argKind uint8

const (
	argPlain argKind = iota // f(x)
	argStar                 // f(*x)
	argDStar                // f(**x)
)

type node struct {
	op   nodeOp
	arg  argKind
	val  value
	x, y *node
}

const (
	// maxParserDepth is where CPython 3.11's parser stack (MAXSTACK 6000) overflows, in
	// this parser's units (see weights).
	maxParserDepth = 5976
	// maxASTDepth is the deepest expression tree (counting Call and Starred nodes, not
	// keywords) that CPython 3.11 compiles before "maximum recursion depth exceeded during
	// compilation", when eval is called from a shallow Python stack.
	maxASTDepth = 2991
	// maxLiteralDigits is CPython's default int_max_str_digits.
	maxLiteralDigits = 4300
)

const (
	mExpression = iota
	mSum        // stands for disjunction down to sum: they all yield the same tree here
	mTerm
	mFactor
	mPrimary
	mArguments
	mInvalidNamed
	numMemo
)

// weights are the parser-stack costs of nested constructs, measured on CPython 3.11.7 for
// each pass (the invalid rules of pass 2 add levels): a unary sign costs 1 and the right
// operand of "**" 2 in both passes.
type weights struct {
	paren   int // the inside of a parenthesized atom
	call    int // a call's argument list
	star    int // a starred argument, on top of call
	dstar   int // a double-starred argument, on top of call
	invalid int // invalid_expression, entered by every expression in pass 2
}

var passWeights = [2]weights{
	{paren: 28, call: 24, star: 3, dstar: 3},
	{paren: 29, call: 24, star: 2, dstar: 3, invalid: 1},
}

type memoEntry struct {
	set, ok bool
	end     int
	n       *node
}

type parser struct {
	toks   []token
	tokErr string // tokenizer error just after the last token, "" if none
	inv    bool   // invalid rules enabled (pass 2)
	w      weights
	depth  int
	err    *Error
	final  bool // err comes from the tokenizer or the stack limit: nothing overrides it
	memo   [numMemo][]memoEntry
}

func syntaxError(msg string, line int) *Error {
	return newError("SyntaxError", msg+" (<string>, line "+strconv.Itoa(line)+")")
}

// parse parses expr as eval() does and returns its tree or the SyntaxError (or MemoryError)
// that CPython raises.
func parse(expr string) (*node, *Error) {
	toks, tokErr := tokenize(strings.TrimLeft(expr, " ")) // eval strips leading blanks
	p := &parser{toks: toks, tokErr: tokErr, w: passWeights[0]}
	n := len(toks) + 1
	all := make([]memoEntry, numMemo*n)
	for i := range p.memo {
		p.memo[i] = all[i*n : (i+1)*n : (i+1)*n]
	}
	if tree, ok := p.eval(); ok {
		return tree, nil
	}
	if p.err == nil {
		p.inv = true
		p.w = passWeights[1]
		p.depth = 0
		clear(all)
		p.eval()
	}
	switch {
	case p.err != nil && p.final:
		return nil, p.err
	case tokErr != "":
		return nil, syntaxError(tokErr, 1)
	case p.err != nil:
		return nil, p.err
	}
	line := 1
	if len(toks) == 1 { // the end marker alone: an empty expression
		line = 0
	}
	return nil, syntaxError("invalid syntax", line)
}

func (p *parser) fail(e *Error, final bool) {
	if p.err == nil {
		p.err, p.final = e, final
	}
}

// at fetches token i, raising what CPython raises when its tokenizer produces that token.
func (p *parser) at(i int) tokKind {
	if p.err != nil {
		return tkNone
	}
	if i >= len(p.toks) {
		if p.tokErr == "" {
			return tkEnd
		}
		p.fail(syntaxError(p.tokErr, 1), true)
		return tkNone
	}
	k := p.toks[i].kind
	if k == tkEOFError {
		p.fail(syntaxError("'(' was never closed", 1), true)
		return tkNone
	}
	return k
}

func (p *parser) enter(w int) {
	p.depth += w
	if p.depth >= maxParserDepth {
		p.fail(newError("MemoryError", ""), true)
	}
}

func (p *parser) leave(w int) { p.depth -= w }

func (p *parser) memoGet(rule, pos int) (*node, int, bool, bool) {
	m := &p.memo[rule][pos]
	return m.n, m.end, m.ok, m.set
}

func (p *parser) memoSet(rule, pos int, n *node, end int, ok bool) (*node, int, bool) {
	if p.err != nil {
		return nil, 0, false
	}
	p.memo[rule][pos] = memoEntry{set: true, ok: ok, end: end, n: n}
	return n, end, ok
}

// eval: expressions NEWLINE* ENDMARKER
func (p *parser) eval() (*node, bool) {
	n, end, ok := p.expressions(0)
	if !ok {
		return nil, false
	}
	for p.at(end) == tkNewline {
		end++
	}
	if p.at(end) != tkEnd {
		return nil, false
	}
	return n, true
}

// expressions: expression (',' expression)+ [','] | expression ',' | expression
func (p *parser) expressions(pos int) (*node, int, bool) {
	n, end, ok := p.expression(pos)
	if ok {
		p.at(end) // ','
	}
	return n, end, ok && p.err == nil
}

// expression (memo): invalid_expression | invalid_legacy_expression
//
//	| disjunction 'if' disjunction 'else' expression | disjunction | lambdef
func (p *parser) expression(pos int) (*node, int, bool) {
	if n, end, ok, hit := p.memoGet(mExpression, pos); hit {
		return n, end, ok
	}
	if p.inv {
		p.invalidExpression(pos)
		p.at(pos) // invalid_legacy_expression: NAME
	}
	n, end, ok := p.sum(pos)
	if ok {
		p.at(end) // 'if'
	} else {
		p.at(pos) // lambdef
	}
	return p.memoSet(mExpression, pos, n, end, ok)
}

// invalid_expression:
//
//	| !(NAME STRING | SOFT_KEYWORD) a=disjunction b=expression_without_invalid
//	| a=disjunction 'if' b=disjunction !('else'|':')
func (p *parser) invalidExpression(pos int) {
	p.at(pos)
	p.enter(p.w.invalid)
	_, aend, ok := p.sum(pos)
	p.leave(p.w.invalid)
	if !ok {
		return
	}
	p.inv = false
	_, bend, ok := p.expressionWithoutInvalid(aend)
	p.inv = true
	if ok && p.toks[bend-1].level != 0 {
		p.fail(syntaxError("invalid syntax. Perhaps you forgot a comma?", 1), false)
		return
	}
	p.at(aend) // 'if'
}

// expression_without_invalid: disjunction 'if' disjunction 'else' expression | disjunction | lambdef
func (p *parser) expressionWithoutInvalid(pos int) (*node, int, bool) {
	n, end, ok := p.sum(pos)
	if ok {
		p.at(end) // 'if'
		return n, end, p.err == nil
	}
	p.at(pos) // lambdef
	return nil, 0, false
}

// sum (left-recursive, memo): sum '+' term | sum '-' term | term. It also stands for the
// rules from disjunction down to shift_expr, whose operators cannot occur here.
func (p *parser) sum(pos int) (*node, int, bool) {
	if n, end, ok, hit := p.memoGet(mSum, pos); hit {
		return n, end, ok
	}
	n, end, ok := p.term(pos)
	for ok {
		k := p.at(end)
		if k != tkPlus && k != tkMinus {
			break
		}
		y, yend, yok := p.term(end + 1)
		if !yok {
			break
		}
		op := opAdd
		if k == tkMinus {
			op = opSub
		}
		n, end = &node{op: op, x: n, y: y}, yend
	}
	return p.memoSet(mSum, pos, n, end, ok)
}

// term (left-recursive, memo): term ('*' | '/' | '//') factor | factor
func (p *parser) term(pos int) (*node, int, bool) {
	if n, end, ok, hit := p.memoGet(mTerm, pos); hit {
		return n, end, ok
	}
	n, end, ok := p.factor(pos)
	for ok {
		var op nodeOp
		switch p.at(end) {
		case tkStar:
			op = opMul
		case tkSlash:
			op = opDiv
		case tkDSlash:
			op = opFloorDiv
		}
		if op == 0 {
			break
		}
		y, yend, yok := p.factor(end + 1)
		if !yok {
			break
		}
		n, end = &node{op: op, x: n, y: y}, yend
	}
	return p.memoSet(mTerm, pos, n, end, ok)
}

// factor (memo): '+' factor | '-' factor | '~' factor | power
func (p *parser) factor(pos int) (*node, int, bool) {
	if n, end, ok, hit := p.memoGet(mFactor, pos); hit {
		return n, end, ok
	}
	if k := p.at(pos); k == tkPlus || k == tkMinus {
		p.enter(1)
		x, end, ok := p.factor(pos + 1)
		p.leave(1)
		if ok {
			op := opPos
			if k == tkMinus {
				op = opNeg
			}
			return p.memoSet(mFactor, pos, &node{op: op, x: x}, end, true)
		}
	}
	n, end, ok := p.power(pos)
	return p.memoSet(mFactor, pos, n, end, ok)
}

// power: await_primary '**' factor | await_primary
func (p *parser) power(pos int) (*node, int, bool) {
	x, end, ok := p.primary(pos)
	if !ok {
		return nil, 0, false
	}
	if p.at(end) == tkDStar {
		p.enter(2)
		y, yend, yok := p.factor(end + 1)
		p.leave(2)
		if yok {
			return &node{op: opPow, x: x, y: y}, yend, true
		}
	}
	return x, end, p.err == nil
}

// primary (left-recursive, memo): primary '.' NAME | primary genexp
//
//	| primary '(' [arguments] ')' | primary '[' slices ']' | atom
func (p *parser) primary(pos int) (*node, int, bool) {
	if n, end, ok, hit := p.memoGet(mPrimary, pos); hit {
		return n, end, ok
	}
	n, end, ok := p.atom(pos)
	for ok && p.err == nil {
		k := p.at(end)
		if k == tkDot {
			p.at(end + 1) // NAME
			break
		}
		if k != tkLParen {
			break
		}
		p.genexp(end, p.w.call)
		p.enter(p.w.call)
		args, aend, aok := p.arguments(end + 1)
		p.leave(p.w.call)
		closing := end + 1
		if aok {
			closing = aend
		} else {
			args = nil
		}
		if p.at(closing) != tkRParen {
			break
		}
		n, end = &node{op: opCall, x: n, y: args}, closing+1
	}
	return p.memoSet(mPrimary, pos, n, end, ok && p.err == nil)
}

// atom: NUMBER | &'(' (tuple | group | genexp) | '...'
func (p *parser) atom(pos int) (*node, int, bool) {
	switch p.at(pos) {
	case tkNumber:
		v, err := literal(p.toks[pos].text)
		if err != nil {
			p.fail(err, false)
			return nil, 0, false
		}
		return &node{op: opConst, val: v}, pos + 1, true
	case tkEllipsis:
		return &node{op: opConst, val: value{k: kEllipsis}}, pos + 1, true
	case tkLParen:
		if n, end, ok := p.tuple(pos); ok {
			return n, end, true
		}
		if n, end, ok := p.group(pos); ok {
			return n, end, true
		}
		p.genexp(pos, p.w.paren)
	}
	return nil, 0, false
}

// tuple: '(' [star_named_expression ',' [star_named_expressions]] ')'
func (p *parser) tuple(pos int) (*node, int, bool) {
	p.enter(p.w.paren)
	_, end, ok := p.starNamedExpression(pos + 1)
	p.leave(p.w.paren)
	if ok {
		p.at(end) // ','
	}
	if p.at(pos+1) == tkRParen {
		return &node{op: opConst, val: value{k: kTuple}}, pos + 2, true
	}
	return nil, 0, false
}

// group: '(' (yield_expr | named_expression) ')' | invalid_group
func (p *parser) group(pos int) (*node, int, bool) {
	p.enter(p.w.paren)
	p.at(pos + 1) // 'yield'
	n, end, ok := p.namedExpression(pos + 1)
	p.leave(p.w.paren)
	if ok && p.at(end) == tkRParen {
		return n, end + 1, true
	}
	if p.inv && p.err == nil {
		p.invalidGroup(pos)
	}
	return nil, 0, false
}

// invalid_group: '(' starred_expression ')' | '(' '**' expression ')'
func (p *parser) invalidGroup(pos int) {
	p.enter(p.w.paren)
	defer p.leave(p.w.paren)
	if p.at(pos+1) == tkStar {
		if _, end, ok := p.expression(pos + 2); ok && p.at(end) == tkRParen {
			p.fail(syntaxError("cannot use starred expression here", 1), false)
			return
		}
	}
	if p.at(pos+1) == tkDStar {
		if _, end, ok := p.expression(pos + 2); ok && p.at(end) == tkRParen {
			p.fail(syntaxError("cannot use double starred expression here", 1), false)
		}
	}
}

// genexp: '(' (assignment_expression | expression !':=') for_if_clauses ')' | invalid_comprehension.
// With no 'for' token it never matches, but it fetches tokens and, in pass 2, its
// expression may raise.
func (p *parser) genexp(pos, weight int) {
	p.enter(weight)
	defer p.leave(weight)
	p.at(pos + 1) // NAME of an assignment_expression
	if _, end, ok := p.expression(pos + 1); ok {
		p.at(end) // ':=', then 'for'
	}
	// invalid_comprehension: ('[' | '(' | '{') starred_expression for_if_clauses
	if p.inv && p.at(pos+1) == tkStar {
		if _, end, ok := p.expression(pos + 2); ok {
			p.at(end) // 'for'
		}
	}
}

// star_named_expression: '*' bitwise_or | named_expression
func (p *parser) starNamedExpression(pos int) (*node, int, bool) {
	if p.at(pos) == tkStar {
		if x, end, ok := p.sum(pos + 1); ok {
			return &node{op: opStarred, x: x}, end, true
		}
	}
	if p.err != nil {
		return nil, 0, false
	}
	return p.namedExpression(pos)
}

// named_expression: assignment_expression | invalid_named_expression | expression !':='
func (p *parser) namedExpression(pos int) (*node, int, bool) {
	p.at(pos) // NAME of an assignment_expression
	if p.inv {
		p.invalidNamedExpression(pos)
	}
	n, end, ok := p.expression(pos)
	if ok {
		p.at(end) // ':='
	}
	return n, end, ok && p.err == nil
}

// invalid_named_expression (memo): expression ':=' expression | NAME '=' bitwise_or ...
//
//	| !(list|tuple|genexp|'True'|'None'|'False') bitwise_or '=' bitwise_or !('='|':=')
//
// Every alternative needs a token that cannot occur here, so it only fetches tokens and
// lets nested rules raise.
func (p *parser) invalidNamedExpression(pos int) {
	if _, _, _, hit := p.memoGet(mInvalidNamed, pos); hit {
		return
	}
	if _, end, ok := p.expression(pos); ok {
		p.at(end) // ':='
	}
	matched := false
	if p.at(pos) == tkLParen {
		_, _, matched = p.tuple(pos)
		if !matched {
			p.genexp(pos, p.w.paren)
		}
	}
	if !matched {
		if _, end, ok := p.sum(pos); ok {
			p.at(end) // '='
		}
	}
	p.memoSet(mInvalidNamed, pos, nil, 0, false)
}

// arguments (memo): args [','] &')' | invalid_arguments
func (p *parser) arguments(pos int) (*node, int, bool) {
	if n, end, ok, hit := p.memoGet(mArguments, pos); hit {
		return n, end, ok
	}
	n, end, ok := p.args(pos)
	if ok && p.at(end) == tkRParen {
		return p.memoSet(mArguments, pos, n, end, true)
	}
	if p.inv && p.err == nil {
		p.invalidArguments(pos)
	}
	return p.memoSet(mArguments, pos, nil, 0, false)
}

// args: ','.(starred_expression | (assignment_expression | expression !':=') !'=')+ [',' kwargs]
//
//	| kwargs
func (p *parser) args(pos int) (*node, int, bool) {
	if p.at(pos) == tkStar {
		p.enter(p.w.star)
		x, end, ok := p.expression(pos + 1)
		p.leave(p.w.star)
		if ok {
			p.at(end) // ','
			return &node{op: opArg, arg: argStar, x: x}, end, p.err == nil
		}
	}
	p.at(pos) // NAME of an assignment_expression
	if x, end, ok := p.expression(pos); ok {
		p.at(end) // ':=', '=', ','
		return &node{op: opArg, arg: argPlain, x: x}, end, p.err == nil
	}
	if p.err != nil {
		return nil, 0, false
	}
	return p.kwargs(pos)
}

// kwargs: ','.kwarg_or_starred+ ',' ','.kwarg_or_double_starred+
//
//	| ','.kwarg_or_starred+ | ','.kwarg_or_double_starred+
func (p *parser) kwargs(pos int) (*node, int, bool) {
	if n, end, ok := p.kwargOrStarred(pos); ok {
		p.at(end) // ','
		return n, end, p.err == nil
	}
	if n, end, ok := p.kwargOrDoubleStarred(pos); ok {
		p.at(end) // ','
		return n, end, p.err == nil
	}
	return nil, 0, false
}

// kwarg_or_starred: invalid_kwarg | NAME '=' expression | starred_expression
func (p *parser) kwargOrStarred(pos int) (*node, int, bool) {
	if p.inv {
		p.invalidKwarg(pos)
	}
	if p.at(pos) == tkStar {
		p.enter(p.w.star)
		x, end, ok := p.expression(pos + 1)
		p.leave(p.w.star)
		if ok {
			return &node{op: opArg, arg: argStar, x: x}, end, true
		}
	}
	return nil, 0, false
}

// kwarg_or_double_starred: invalid_kwarg | NAME '=' expression | '**' expression
func (p *parser) kwargOrDoubleStarred(pos int) (*node, int, bool) {
	if p.inv {
		p.invalidKwarg(pos)
	}
	if p.at(pos) == tkDStar {
		p.enter(p.w.dstar)
		x, end, ok := p.expression(pos + 1)
		p.leave(p.w.dstar)
		if ok {
			return &node{op: opArg, arg: argDStar, x: x}, end, true
		}
	}
	return nil, 0, false
}

// invalid_kwarg: ('True'|'False'|'None') '=' | NAME '=' expression for_if_clauses
//
//	| !(NAME '=') expression '='
func (p *parser) invalidKwarg(pos int) {
	p.at(pos)
	if _, end, ok := p.expression(pos); ok {
		p.at(end) // '='
	}
}

// invalid_arguments: each alternative starts with args, expression or NAME and then needs a
// ',', 'for' or '=' token, so it only fetches the token after them.
func (p *parser) invalidArguments(pos int) {
	if _, end, ok := p.args(pos); ok {
		p.at(end)
	}
	if _, end, ok := p.expression(pos); ok {
		p.at(end)
	}
}

// literal converts a NUMBER token, raising CPython's SyntaxError for an integer literal
// beyond the default limit of 4300 digits.
func literal(text string) (value, *Error) {
	if strings.IndexByte(text, '.') >= 0 {
		f, _ := strconv.ParseFloat(text, 64) // the tokenizer admits only valid literals; overflow gives ±Inf as in Python
		return value{k: kFloat, f: f}, nil
	}
	digits := strings.TrimLeft(text, "0")
	if len(digits) > maxLiteralDigits {
		return value{}, syntaxError("Exceeds the limit (4300 digits) for integer string conversion: value has "+
			strconv.Itoa(len(digits))+" digits; use sys.set_int_max_str_digits() to increase the limit"+
			" - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.", 1)
	}
	return intValue(parseInt(digits)), nil
}

// depth is the height of the tree as CPython's AST optimizer counts it.
func depth(n *node) int {
	switch n.op {
	case opConst:
		return 1
	case opNeg, opPos:
		return 1 + depth(n.x)
	case opCall:
		d := depth(n.x)
		if n.y != nil {
			a := depth(n.y.x)
			if n.y.arg == argStar {
				a++ // a Starred node; a **keyword adds none
			}
			d = max(d, a)
		}
		return 1 + d
	}
	return 1 + max(depth(n.x), depth(n.y))
}
