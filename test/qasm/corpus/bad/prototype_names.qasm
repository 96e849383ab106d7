// expect: undefined identifier 'toString'
OPENQASM 3.0;
qubit q;
rx(toString + hasOwnProperty) q;
