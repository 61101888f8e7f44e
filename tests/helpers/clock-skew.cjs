// A `--require` preload that shifts this one process's wall clock by TESSERA_CLOCK_SKEW_MS
// (e.g. 7200000 = two hours ahead, negative = behind), as an instance with a drifting clock
// would have. Pass it through NODE_OPTIONS to a `next start`:
//   NODE_OPTIONS="--require /abs/path/tests/helpers/clock-skew.cjs" TESSERA_CLOCK_SKEW_MS=7200000
// Date (new Date(), Date(), Date.now()) and performance.timeOrigin move; performance.now()
// stays monotonic (it is relative to timeOrigin). Timers are unaffected, as on a real machine.
"use strict";

const skew = Number(process.env.TESSERA_CLOCK_SKEW_MS || 0);

if (Number.isFinite(skew) && skew !== 0 && !globalThis.__tesseraClockSkew) {
  const RealDate = Date;
  function SkewedDate(...args) {
    if (!new.target) return new RealDate(RealDate.now() + skew).toString();
    return Reflect.construct(RealDate, args.length ? args : [RealDate.now() + skew], new.target);
  }
  SkewedDate.prototype = RealDate.prototype;
  SkewedDate.now = () => RealDate.now() + skew;
  SkewedDate.parse = RealDate.parse;
  SkewedDate.UTC = RealDate.UTC;
  Object.defineProperty(SkewedDate, "name", { value: "Date" });
  globalThis.Date = SkewedDate;

  const origin = performance.timeOrigin + skew;
  Object.defineProperty(performance, "timeOrigin", { get: () => origin, configurable: true });
  globalThis.__tesseraClockSkew = skew;
}
