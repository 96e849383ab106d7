// expect: expected '}'
OPENQASM 3.0;
include "stdgates.inc";
gate g a {
  h a;
