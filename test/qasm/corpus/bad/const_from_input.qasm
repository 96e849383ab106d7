// expect: cannot depend on input
OPENQASM 3.0;
include "stdgates.inc";
input float t;
const float c = t;