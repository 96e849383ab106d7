// expect: bit register, not a qubit register
OPENQASM 3.0;
include "stdgates.inc";
bit c;
h c;