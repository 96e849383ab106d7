/**
 * The AST of the circuit-level OpenQASM 3 (and 2.0) subset qbridge reads. Every node has the
 * 1-based line and column of its first token, so lowering errors can point at the source.
 * Constructs outside the subset never reach the AST: the parser rejects them as UNSUPPORTED.
 */

export interface Node {
  readonly line: number;
  readonly col: number;
}

// ---- expressions ------------------------------------------------------------------------------

export type Expr = NumberLit | DurationLit | Ident | Unary | Binary | Call | Cast;

export interface NumberLit extends Node {
  readonly k: 'num';
  readonly value: number;
  readonly isInt: boolean;
}
/** `100ns`; `seconds` is NaN for `dt` units (device-dependent). */
export interface DurationLit extends Node {
  readonly k: 'dur';
  readonly seconds: number;
  readonly text: string;
}
export interface Ident extends Node {
  readonly k: 'id';
  readonly name: string;
}
export interface Unary extends Node {
  readonly k: 'un';
  readonly op: '-' | '+' | '!' | '~';
  readonly arg: Expr;
}
export type BinaryOp =
  '+' | '-' | '*' | '/' | '%' | '**' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '&&' | '||' | '&' | '|' | '^' | '<<' | '>>';
export interface Binary extends Node {
  readonly k: 'bin';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface Call extends Node {
  readonly k: 'call';
  readonly name: string;
  readonly args: readonly Expr[];
}
/** `float(x)`, `int[32](x)`, `angle(x)`. */
export interface Cast extends Node {
  readonly k: 'cast';
  readonly type: ScalarTypeName;
  readonly arg: Expr;
}

// ---- operands -------------------------------------------------------------------------------

/** `a[0]`, `a[1:3]`, `a[{0, 2}]`, `a[i + 1]`. */
export type IndexSpec =
  | { readonly k: 'one'; readonly e: Expr }
  | { readonly k: 'range'; readonly start?: Expr; readonly step?: Expr; readonly end?: Expr }
  | { readonly k: 'set'; readonly items: readonly Expr[] };

export type Operand =
  | (Node & { readonly k: 'reg'; readonly name: string; readonly index?: IndexSpec })
  | (Node & { readonly k: 'phys'; readonly index: number });

// ---- statements -----------------------------------------------------------------------------

export type ScalarTypeName = 'int' | 'uint' | 'float' | 'angle' | 'bool' | 'duration' | 'stretch' | 'bit' | 'complex';

export type Modifier =
  | (Node & { readonly k: 'ctrl' | 'negctrl'; readonly n?: Expr })
  | (Node & { readonly k: 'inv' })
  | (Node & { readonly k: 'pow'; readonly e: Expr });

export interface GateCall extends Node {
  readonly k: 'call';
  readonly name: string;
  readonly modifiers: readonly Modifier[];
  readonly args: readonly Expr[];
  readonly operands: readonly Operand[];
  readonly annotations?: readonly string[];
}

export interface QubitDecl extends Node {
  readonly k: 'qubit';
  readonly name: string;
  /** Undefined for a single `qubit q;`. */
  readonly size?: Expr;
}
export interface BitDecl extends Node {
  readonly k: 'bit';
  readonly name: string;
  readonly size?: Expr;
  /** `bit[2] c = measure q;` */
  readonly measure?: Operand;
}
/** `const int n = 3;`, `input float[64] theta;`, `float x = 1.5;`, `duration d = 10ns;`, `stretch s;` */
export interface ClassicalDecl extends Node {
  readonly k: 'classical';
  readonly type: ScalarTypeName;
  readonly name: string;
  readonly init?: Expr;
  readonly isConst: boolean;
  readonly isInput: boolean;
}
export interface GateDef extends Node {
  readonly k: 'gatedef';
  readonly name: string;
  readonly params: readonly string[];
  readonly qubits: readonly string[];
  readonly body: readonly (GateCall | Barrier)[];
}
/** `c = measure q;`, `c[0] = measure q[1];`, `measure q -> c;`, `measure q;` */
export interface Measure extends Node {
  readonly k: 'measure';
  readonly qubit: Operand;
  readonly target?: Operand;
  readonly annotations?: readonly string[];
}
export interface Reset extends Node {
  readonly k: 'reset';
  readonly operands: readonly Operand[];
  readonly annotations?: readonly string[];
}
export interface Barrier extends Node {
  readonly k: 'barrier';
  /** Empty: every qubit. */
  readonly operands: readonly Operand[];
  readonly annotations?: readonly string[];
}
export interface Delay extends Node {
  readonly k: 'delay';
  readonly duration: Expr;
  readonly operands: readonly Operand[];
  readonly annotations?: readonly string[];
}
export interface For extends Node {
  readonly k: 'for';
  readonly variable: string;
  readonly iter: IndexSpec;
  readonly body: readonly Stmt[];
}
export interface Box extends Node {
  readonly k: 'box';
  readonly duration?: Expr;
  readonly body: readonly Stmt[];
}
export interface Block extends Node {
  readonly k: 'block';
  readonly body: readonly Stmt[];
}
export interface Pragma extends Node {
  readonly k: 'pragma';
  readonly text: string;
}
/** Built-in includes (stdgates.inc, qelib1.inc) have no body; others are parsed in place. */
export interface Include extends Node {
  readonly k: 'include';
  readonly path: string;
  readonly file?: string;
  readonly body?: readonly Stmt[];
}

export type Stmt =
  GateCall | QubitDecl | BitDecl | ClassicalDecl | GateDef | Measure | Reset | Barrier | Delay | For | Box | Block | Pragma | Include;

export interface Program {
  /** 2 or 3 (a missing version line reads as 3). */
  readonly version: number;
  readonly versionText?: string;
  readonly statements: readonly Stmt[];
  readonly file?: string;
}
