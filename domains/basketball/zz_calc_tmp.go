package basketball

import "errors"

func evaluate(expr string) (string, error) { return "", errors.New("calc pending") }
