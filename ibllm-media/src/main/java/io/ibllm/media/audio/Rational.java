package io.ibllm.media.audio;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact fraction, as Python's {@code fractions.Fraction}: the reference's clip sampler turns
 * float durations into Fractions (exactly, every binary digit kept) and floors
 * {@code Fraction * sample_rate} to a sample index, so doubles would be off by one sometimes.
 */
public record Rational(BigInteger num, BigInteger den) {
    public Rational {
        if (den.signum() == 0) throw new ArithmeticException("zero denominator");
        if (den.signum() < 0) {
            num = num.negate();
            den = den.negate();
        }
        BigInteger g = num.gcd(den);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
            num = num.divide(g);
            den = den.divide(g);
        }
    }

    public static Rational of(long n) {
        return new Rational(BigInteger.valueOf(n), BigInteger.ONE);
    }

    /** The exact value of a finite double, like Fraction(float). */
    public static Rational of(double x) {
        if (!Double.isFinite(x)) throw new ArithmeticException("not finite: " + x);
        BigDecimal d = new BigDecimal(x);
        return d.scale() <= 0 ? new Rational(d.toBigIntegerExact(), BigInteger.ONE)
                : new Rational(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
    }

    public Rational plus(Rational o) {
        return new Rational(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    public Rational times(Rational o) {
        return new Rational(num.multiply(o.num), den.multiply(o.den));
    }

    public Rational dividedBy(long d) {
        return new Rational(num, den.multiply(BigInteger.valueOf(d)));
    }

    /** Python's int(fraction): truncation toward zero. */
    public long truncate() {
        return num.divide(den).longValueExact();
    }

    public double toDouble() {
        return new BigDecimal(num).divide(new BigDecimal(den), java.math.MathContext.DECIMAL128).doubleValue();
    }

    /** As Python prints a Fraction: "3" or "3/4". */
    @Override
    public String toString() {
        return den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den;
    }
}
