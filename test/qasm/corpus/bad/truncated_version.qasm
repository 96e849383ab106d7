// expect: expected a version number
OPENQASM