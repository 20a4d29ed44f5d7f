// Package calcstub stands in for domains/calc until it exists.
package calcstub

import "errors"

// Evaluate is a placeholder.
func Evaluate(expr any) (string, error) {
	switch expr {
	case "484.5 - 2 * 0.25":
		return "484.0", nil
	case "10 % 3":
		return "", errors.New("Invalid characters in expression")
	}
	return "", errors.New("division by zero")
}
