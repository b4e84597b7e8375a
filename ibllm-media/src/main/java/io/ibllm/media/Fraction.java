package io.ibllm.media;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/** An exact rational (Python's fractions.Fraction), for the reference's clip arithmetic. */
public record Fraction(BigInteger num, BigInteger den) implements Comparable<Fraction> {
    public static final Fraction ZERO = of(0, 1);

    public Fraction {
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

    public static Fraction of(long num, long den) {
        return new Fraction(BigInteger.valueOf(num), BigInteger.valueOf(den));
    }

    /** The exact value of a double, as Fraction(float) gives it. */
    public static Fraction of(double v) {
        if (!Double.isFinite(v)) throw new ArithmeticException("not finite: " + v);
        BigDecimal d = new BigDecimal(v);
        return d.scale() >= 0
                ? new Fraction(d.unscaledValue(), BigInteger.TEN.pow(d.scale()))
                : new Fraction(d.unscaledValue().multiply(BigInteger.TEN.pow(-d.scale())), BigInteger.ONE);
    }

    public Fraction plus(Fraction o) {
        return new Fraction(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    public Fraction minus(Fraction o) {
        return plus(new Fraction(o.num.negate(), o.den));
    }

    public Fraction times(Fraction o) {
        return new Fraction(num.multiply(o.num), den.multiply(o.den));
    }

    public Fraction divide(Fraction o) {
        return new Fraction(num.multiply(o.den), den.multiply(o.num));
    }

    public Fraction max(Fraction o) {
        return compareTo(o) >= 0 ? this : o;
    }

    /** math.ceil of the value. */
    public BigInteger ceil() {
        BigInteger[] qr = num.divideAndRemainder(den);
        return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    }

    /** math.floor of the value. */
    public BigInteger floor() {
        BigInteger[] qr = num.divideAndRemainder(den);
        return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    public double toDouble() {
        return new BigDecimal(num).divide(new BigDecimal(den), new MathContext(40)).doubleValue();
    }

    @Override
    public int compareTo(Fraction o) {
        return num.multiply(o.den).compareTo(o.num.multiply(den));
    }

    @Override
    public String toString() {
        return den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den;
    }
}
