/**
 * Double-double arithmetic (a value is hi + lo, |lo| <= ulp(hi)/2, about 106
 * significant bits) for the x87 transcendentals: sin/cos on a reduced argument,
 * exp-1, log(1+x) and atan. Dekker/Knuth error-free transformations
 * (Shewchuk 1997; Hida, Li, Bailey "QD" 2001). Values are [hi, lo] tuples:
 * these functions run only for transcendental instructions, never in the hot path.
 */

export type DoubleDouble = readonly [number, number];

const SPLITTER = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): DoubleDouble {
  const sum = a + b;
  const bVirtual = sum - a;
  return [sum, (a - (sum - bVirtual)) + (b - bVirtual)];
}

function quickTwoSum(a: number, b: number): DoubleDouble {
  const sum = a + b;
  return [sum, b - (sum - a)];
}

function twoProduct(a: number, b: number): DoubleDouble {
  const product = a * b;
  let t = SPLITTER * a;
  const aHigh = t - (t - a), aLow = a - aHigh;
  t = SPLITTER * b;
  const bHigh = t - (t - b), bLow = b - bHigh;
  return [product, ((aHigh * bHigh - product) + aHigh * bLow + aLow * bHigh) + aLow * bLow];
}

export function add(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const [s, e] = twoSum(x[0], y[0]);
  const [t, f] = twoSum(x[1], y[1]);
  const [s2, e2] = quickTwoSum(s, e + t);
  return quickTwoSum(s2, e2 + f);
}

export function negate(x: DoubleDouble): DoubleDouble { return [-x[0], -x[1]]; }
export function subtract(x: DoubleDouble, y: DoubleDouble): DoubleDouble { return add(x, negate(y)); }

export function multiply(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const [p, e] = twoProduct(x[0], y[0]);
  return quickTwoSum(p, e + (x[0] * y[1] + x[1] * y[0]));
}

export function multiplyDouble(x: DoubleDouble, d: number): DoubleDouble {
  const [p, e] = twoProduct(x[0], d);
  return quickTwoSum(p, e + x[1] * d);
}

export function divide(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const q1 = x[0] / y[0];
  let r = subtract(x, multiplyDouble(y, q1));
  const q2 = r[0] / y[0];
  r = subtract(r, multiplyDouble(y, q2));
  const q3 = r[0] / y[0];
  return add(quickTwoSum(q1, q2), [q3, 0]);
}

export function fromNumber(value: number): DoubleDouble { return [value, 0]; }

export const PI: DoubleDouble = [3.141592653589793, 1.2246467991473532e-16];
export const HALF_PI: DoubleDouble = [1.5707963267948966, 6.123233995736766e-17];
export const LN2: DoubleDouble = [0.6931471805599453, 2.3190468138462996e-17];

/** sin and cos of |x| <= pi/4 (Taylor series to 2^-106). */
export function sinCos(x: DoubleDouble): [DoubleDouble, DoubleDouble] {
  const square = multiply(x, x);
  let sinTerm = x, sin = x;
  let cosTerm: DoubleDouble = [1, 0], cos: DoubleDouble = [1, 0];
  for (let k = 1; k <= 16; k++) {
    sinTerm = negate(divide(multiply(sinTerm, square), [(2 * k) * (2 * k + 1), 0]));
    cosTerm = negate(divide(multiply(cosTerm, square), [(2 * k - 1) * (2 * k), 0]));
    sin = add(sin, sinTerm);
    cos = add(cos, cosTerm);
  }
  return [sin, cos];
}

/** e^x - 1 with relative accuracy, any moderate x. */
export function expMinusOne(x: DoubleDouble): DoubleDouble {
  if (!Number.isFinite(x[0])) return [x[0] === -Infinity ? -1 : NaN, 0];
  if (Math.abs(x[0]) < 0.5) {
    let term = x, sum = x;
    for (let k = 2; k <= 30; k++) {
      term = divide(multiply(term, x), [k, 0]);
      sum = add(sum, term);
      if (Math.abs(term[0]) < Math.abs(sum[0]) * 1e-34) break;
    }
    return sum;
  }
  // e^x = 2^k e^r with |r| <= ln2/2.
  const k = Math.round(x[0] / LN2[0]);
  const r = subtract(x, multiplyDouble(LN2, k));
  const expR = add(expMinusOne(r), [1, 0]);
  return add([expR[0] * 2 ** k, expR[1] * 2 ** k], [-1, 0]);
}

/** ln(1 + d) for d > -1: a Newton step on Math.log1p with e^-a - 1 in double-double. */
export function logOnePlus(d: DoubleDouble): DoubleDouble {
  const start = Math.log1p(d[0] + d[1]);
  const e = expMinusOne([-start, 0]);
  // a1 = a0 + (1 + d)(1 + E) - 1 = a0 + d + E + dE
  const correction = add(add(d, e), multiply(d, e));
  return add([start, 0], correction);
}

/** atan(t) for t >= 0: a Newton step on Math.atan using sin and cos of the start value. */
export function arcTangent(t: DoubleDouble): DoubleDouble {
  const start = Math.atan(t[0] + t[1]);
  // Reduce start to |s| <= pi/4 for the series: start is in [0, pi/2].
  let sin: DoubleDouble, cos: DoubleDouble;
  if (start > Math.PI / 4) {
    const [s, c] = sinCos(subtract(HALF_PI, [start, 0]));
    sin = c; cos = s;
  } else {
    [sin, cos] = sinCos([start, 0]);
  }
  // a1 = a0 + (t cos a0 - sin a0) / (cos a0 + t sin a0)
  const numerator = subtract(multiply(t, cos), sin);
  const denominator = add(cos, multiply(t, sin));
  return add([start, 0], divide(numerator, denominator));
}

/** ln v for a positive double-double v: v = 2^e · m with m in [0.75, 1.5), ln v = e·ln 2 + ln(1 + (m - 1)). */
export function logarithm(v: DoubleDouble): DoubleDouble {
  let exponent = Math.floor(Math.log2(v[0]));
  let scale = 2 ** -exponent;
  let m: DoubleDouble = [v[0] * scale, v[1] * scale];
  if (m[0] >= 1.5) { exponent += 1; scale /= 2; m = [v[0] * scale, v[1] * scale]; }
  if (m[0] < 0.75) { exponent -= 1; scale *= 2; m = [v[0] * scale, v[1] * scale]; }
  return add(multiplyDouble(LN2, exponent), logOnePlus(add(m, [-1, 0])));
}
