// expect: cannot find include file "does_not_exist.inc"
OPENQASM 3.0;
include "stdgates.inc";
include "does_not_exist.inc";
