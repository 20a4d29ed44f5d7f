package calc

import "strings"

type tokKind uint8

const (
	tkNumber tokKind = iota
	tkPlus
	tkMinus
	tkStar     // *
	tkDStar    // **
	tkSlash    // /
	tkDSlash   // //
	tkLParen   // (
	tkRParen   // )
	tkDot      // .
	tkEllipsis // ...
	tkNewline
	tkEnd
	tkEOFError // end of input inside parentheses: fetching it raises "'(' was never closed"
	tkNone     // what a peek returns once the parse has aborted
)

// A token is one CPython token. level is the parenthesis depth after the token, as the
// parser's "forgot a comma" check reads it.
type token struct {
	kind  tokKind
	level int
	text  string // the literal, for tkNumber
}

// maxParenLevel is CPython's MAXLEVEL: the 201st open parenthesis is a tokenizer error.
const maxParenLevel = 200

// tokenize splits src (leading spaces already stripped) the way CPython's tokenizer does for
// the characters in Allowed. Tokenizing stops at the first tokenizer error; the error's
// message is returned and the tokens before it are kept, because CPython tokenizes lazily
// and the parser may fail or abort before it reaches the bad token.
func tokenize(src string) (toks []token, errMsg string) {
	toks = make([]token, 0, len(src)/2+2)
	level := 0
	i := 0
	for {
		for i < len(src) && src[i] == ' ' {
			i++
		}
		if i >= len(src) {
			break
		}
		c := src[i]
		start := i
		var k tokKind
		switch {
		case isDigit(c):
			end, msg := scanNumber(src, i)
			if msg != "" {
				return toks, msg
			}
			toks = append(toks, token{kind: tkNumber, level: level, text: src[start:end]})
			i = end
			continue
		case c == '.':
			switch {
			case i+1 < len(src) && isDigit(src[i+1]):
				end := scanDigits(src, i+1)
				toks = append(toks, token{kind: tkNumber, level: level, text: src[start:end]})
				i = end
				continue
			case strings.HasPrefix(src[i:], "..."):
				k, i = tkEllipsis, i+3
			default:
				k, i = tkDot, i+1
			}
		case c == '*':
			if i+1 < len(src) && src[i+1] == '*' {
				k, i = tkDStar, i+2
			} else {
				k, i = tkStar, i+1
			}
		case c == '/':
			if i+1 < len(src) && src[i+1] == '/' {
				k, i = tkDSlash, i+2
			} else {
				k, i = tkSlash, i+1
			}
		case c == '+':
			k, i = tkPlus, i+1
		case c == '-':
			k, i = tkMinus, i+1
		case c == '(':
			if level >= maxParenLevel {
				return toks, "too many nested parentheses"
			}
			level++
			k, i = tkLParen, i+1
		case c == ')':
			if level == 0 {
				return toks, "unmatched ')'"
			}
			level--
			k, i = tkRParen, i+1
		default: // not in Allowed; Evaluate rejects such input before tokenizing
			return toks, "invalid character"
		}
		toks = append(toks, token{kind: k, level: level})
	}
	if level > 0 {
		return append(toks, token{kind: tkEOFError, level: level}), ""
	}
	if len(toks) > 0 {
		toks = append(toks, token{kind: tkNewline})
	}
	return append(toks, token{kind: tkEnd}), ""
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func scanDigits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// scanNumber scans the number literal starting with the digit at s[i] and returns its end,
// or CPython's message for an integer literal with leading zeros.
func scanNumber(s string, i int) (end int, errMsg string) {
	if s[i] == '0' {
		j := i
		for j < len(s) && s[j] == '0' {
			j++
		}
		nonzero := j < len(s) && isDigit(s[j])
		j = scanDigits(s, j)
		if j < len(s) && s[j] == '.' {
			return scanDigits(s, j+1), ""
		}
		if nonzero {
			return 0, "leading zeros in decimal integer literals are not permitted; " +
				"use an 0o prefix for octal integers"
		}
		return j, ""
	}
	j := scanDigits(s, i)
	if j < len(s) && s[j] == '.' {
		j = scanDigits(s, j+1)
	}
	return j, ""
}
