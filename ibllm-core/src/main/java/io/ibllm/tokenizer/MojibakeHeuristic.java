package io.ibllm.tokenizer;

import java.util.regex.Pattern;

/**
 * ftfy's mojibake heuristic (ftfy 6.3.1, badness.py and chardata.py, Apache-2.0, by Robyn
 * Speer): character categories that appear in UTF-8 mojibake, and the regular expressions over
 * them that say "this text was probably decoded with the wrong codec" ({@link #isBad}) and
 * "this run looks like UTF-8 bytes shown as single-byte characters" ({@link #UTF8_DETECTOR}).
 * The tables are ftfy's, written as regex character-class bodies.
 */
final class MojibakeHeuristic {
    private MojibakeHeuristic() {}

    static final String COMMON = "\\u00a0\\u00ad\\u00b7\\u00b4\\u2013\\u2014\\u2015\\u2026\\u2019";
    static final String C1 = "\\u0080-\\u009f";
    static final String BAD = "\\u00a6\\u00a4\\u00a8\\u00ac\\u00af\\u00b8\\u0192\\u02c6\\u02c7\\u02d8\\u02db\\u02dc\\u2020"
            + "\\u2021\\u2030\\u2310\\u25ca\\ufffd\\u00aa\\u00ba";
    static final String LAW = "\\u00b6\\u00a7";
    static final String CURRENCY = "\\u00a2\\u00a3\\u00a5\\u20a7\\u20ac";
    static final String START_PUNCTUATION = "\\u00a1\\u00ab\\u00bf\\u00a9\\u0384\\u0385\\u2018\\u201a\\u201c\\u201e\\u2022\\u2039\\uf8ff";
    static final String END_PUNCTUATION = "\\u00ae\\u00bb\\u02dd\\u201d\\u203a\\u2122";
    static final String NUMERIC = "\\u00b2\\u00b3\\u00b9\\u00b1\\u00bc\\u00bd\\u00be\\u00d7\\u00b5\\u00f7\\u2044\\u2202\\u2206"
            + "\\u220f\\u2211\\u221a\\u221e\\u2229\\u222b\\u2248\\u2260\\u2261\\u2264\\u2265\\u2116";
    static final String KAOMOJI = "\\u00d2-\\u00d6\\u00d9-\\u00dc\\u00f2-\\u00f6\\u00f8-\\u00fc\\u0150\\u014c\\u016a\\u0172\\u00b0";
    static final String UPPER_ACCENTED = "\\u00c0-\\u00d1\\u00d8\\u00dc\\u00dd\\u0102\\u0100\\u0104\\u0106\\u010c\\u010e\\u0110\\u0118"
            + "\\u011a\\u0112\\u0116\\u011e\\u0122\\u0130\\u012a\\u0136\\u0139\\u013d\\u0141\\u013b\\u0143"
            + "\\u0147\\u0145\\u0152\\u0158\\u015a\\u015e\\u0160\\u0162\\u0164\\u016e\\u0170\\u0178\\u0179"
            + "\\u017b\\u017d\\u0490";
    static final String LOWER_ACCENTED = "\\u00df\\u00e0-\\u00f1\\u0103\\u0105\\u0101\\u0107\\u010d\\u010f\\u0111\\u0119\\u011b\\u0113"
            + "\\u0117\\u011f\\u0123\\u012f\\u012b\\u0137\\u013a\\u013e\\u0142\\u013c\\u0153\\u0155\\u015b"
            + "\\u015f\\u0161\\u0165\\u00fc\\u017a\\u017c\\u017e\\u0491\\ufb01\\ufb02";
    static final String UPPER_COMMON = "\\u00de\\u0391-\\u03a9\\u0386\\u0388\\u0389\\u038a\\u038c\\u038e\\u038f\\u03aa\\u03ab\\u0401-"
            + "\\u042f";
    static final String LOWER_COMMON = "\\u03b1-\\u03c9\\u03ac\\u03ad\\u03ae\\u03af\\u03b0\\u0430-\\u045f";
    static final String BOX = "\\u2502\\u250c\\u2510\\u2518\\u251c\\u2524\\u252c\\u253c\\u2550-\\u256c\\u2580\\u2584\\u2588"
            + "\\u258c\\u2590\\u2591\\u2592\\u2593";
    static final String UTF8_FIRST_OF_2 = "\\u0102\\u00c2\\u00c4\\u0100\\u00c5\\u00c3\\u00c6\\u0106\\u010c\\u00c7\\u010e\\u0110\\u00c9"
            + "\\u011a\\u00ca\\u00cb\\u0116\\u00c8\\u0112\\u0118\\u00d0\\u011e\\u0122\\u00cd\\u00ce\\u00cf"
            + "\\u0130\\u00cc\\u012a\\u0136\\u0139\\u013b\\u0141\\u0143\\u0147\\u0145\\u00d1\\u00d3\\u00d4"
            + "\\u00d6\\u0150\\u00d2\\u014c\\u00d8\\u00d5\\u0158\\u015a\\u0160\\u015e\\u0162\\u00de\\u00da"
            + "\\u00db\\u00dc\\u0170\\u00d9\\u016a\\u0172\\u016e\\u00dd\\u0179\\u017d\\u017b\\u00df\\u00d7"
            + "\\u0392\\u0393\\u0394\\u0395\\u0396\\u0397\\u0398\\u0399\\u039a\\u039b\\u039c\\u039d\\u039e"
            + "\\u039f\\u03a0\\u03a1\\u03a3\\u03a4\\u03a5\\u03a6\\u03a7\\u03a8\\u03a9\\u03aa\\u03ab\\u03ac"
            + "\\u03ad\\u03ae\\u03af\\u0412\\u0413\\u0414\\u0415\\u0416\\u0417\\u0418\\u0419\\u041a\\u041b"
            + "\\u041c\\u041d\\u041e\\u041f\\u0420\\u0421\\u0422\\u0423\\u0424\\u0425\\u0426\\u0427\\u0428"
            + "\\u0429\\u042a\\u042b\\u042c\\u042d\\u042e\\u042f";
    static final String UTF8_FIRST_OF_3 = "\\u00e1\\u0103\\u00e2\\u00e4\\u00e0\\u0101\\u0105\\u00e5\\u00e3\\u00e6\\u0107\\u010d\\u00e7"
            + "\\u010f\\u00e9\\u011b\\u00ea\\u00eb\\u0117\\u00e8\\u0113\\u0119\\u0119\\u0123\\u00ed\\u00ee"
            + "\\u00ef\\u00ec\\u012b\\u012f\\u0137\\u013a\\u013c\\u0155\\u017a\\u03b0\\u03b1\\u03b2\\u03b3"
            + "\\u03b4\\u03b5\\u03b6\\u03b7\\u03b8\\u03b9\\u03ba\\u03bb\\u03bc\\u03bd\\u03be\\u03bf\\u0430"
            + "\\u0431\\u0432\\u0433\\u0434\\u0435\\u0436\\u0437\\u0438\\u0439\\u043a\\u043b\\u043c\\u043d"
            + "\\u043e\\u043f";
    static final String UTF8_FIRST_OF_4 = "\\u0111\\u00f0\\u011f\\u00f3\\u0161\\u03c0\\u03c3\\u0440\\u0443";
    static final String UTF8_CONTINUATION = "\\u0080-\\u00bf\\u0020\\u0104\\u00c6\\u013d\\u0141\\u00d8\\u0156\\u015a\\u0160\\u015e\\u0164"
            + "\\u0178\\u0179\\u017d\\u017b\\u0152\\u0105\\u00e6\\u0192\\u013e\\u0142\\u00f8\\u0157\\u015b"
            + "\\u0161\\u015f\\u0165\\u017a\\u017e\\u017c\\u0153\\u02c6\\u02c7\\u02d8\\u02db\\u02dc\\u02dd"
            + "\\u0384\\u0385\\u0386\\u0388\\u0389\\u038a\\u038c\\u038e\\u038f\\u0401\\u0402\\u0403\\u0404"
            + "\\u0405\\u0406\\u0407\\u0408\\u0409\\u040a\\u040b\\u040c\\u040e\\u040f\\u0451\\u0452\\u0453"
            + "\\u0454\\u0455\\u0456\\u0457\\u0458\\u0459\\u045a\\u045b\\u045c\\u045e\\u045f\\u0490\\u0491"
            + "\\u2013\\u2014\\u2015\\u2018\\u2019\\u201a\\u201c\\u201d\\u201e\\u2020\\u2021\\u2022\\u2026"
            + "\\u2030\\u2039\\u203a\\u20ac\\u2116\\u2122";
    static final String UTF8_CONTINUATION_STRICT = "\\u0080-\\u00bf\\u0104\\u00c6\\u013d\\u0141\\u00d8\\u0156\\u015a\\u0160\\u015e\\u0164\\u0178"
            + "\\u0179\\u017d\\u017b\\u0152\\u0105\\u00e6\\u0192\\u013e\\u0142\\u00f8\\u0157\\u015b\\u0161"
            + "\\u015f\\u0165\\u017a\\u017e\\u017c\\u0153\\u02c6\\u02c7\\u02d8\\u02db\\u02dc\\u02dd\\u0384"
            + "\\u0385\\u0386\\u0388\\u0389\\u038a\\u038c\\u038e\\u038f\\u0401\\u0402\\u0403\\u0404\\u0405"
            + "\\u0406\\u0407\\u0408\\u0409\\u040a\\u040b\\u040c\\u040e\\u040f\\u0451\\u0452\\u0453\\u0454"
            + "\\u0455\\u0456\\u0457\\u0458\\u0459\\u045a\\u045b\\u045c\\u045e\\u045f\\u0490\\u0491\\u2020"
            + "\\u2021\\u2030\\u2039\\u203a\\u20ac\\u2116\\u2122";

    private static String cls(String... parts) { return "[" + String.join("", parts) + "]"; }

    private static final String ACCENTED_AND_SYMBOLS = LOWER_ACCENTED + UPPER_ACCENTED + BOX + START_PUNCTUATION
            + END_PUNCTUATION + CURRENCY + NUMERIC + LAW;

    /** badness.BADNESS_RE: sequences far likelier in mojibake than in real text. */
    private static final Pattern BADNESS = Pattern.compile(String.join("|",
            cls(C1),
            cls(BAD, ACCENTED_AND_SYMBOLS) + cls(BAD),
            "[a-zA-Z]" + cls(LOWER_COMMON, UPPER_COMMON) + cls(BAD),
            cls(BAD) + cls(ACCENTED_AND_SYMBOLS),
            cls(LOWER_ACCENTED, LOWER_COMMON, BOX, END_PUNCTUATION, CURRENCY, NUMERIC) + cls(UPPER_ACCENTED),
            cls(BOX, END_PUNCTUATION, CURRENCY, NUMERIC) + cls(LOWER_ACCENTED),
            cls(LOWER_ACCENTED, BOX, END_PUNCTUATION) + cls(CURRENCY),
            "\\s" + cls(UPPER_ACCENTED) + cls(CURRENCY),
            cls(UPPER_ACCENTED, BOX) + cls(NUMERIC, LAW),
            cls(LOWER_ACCENTED, UPPER_ACCENTED, BOX, CURRENCY, END_PUNCTUATION) + cls(START_PUNCTUATION) + cls(NUMERIC),
            cls(LOWER_ACCENTED, UPPER_ACCENTED, CURRENCY, NUMERIC, BOX, LAW) + cls(END_PUNCTUATION) + cls(START_PUNCTUATION),
            cls(CURRENCY, NUMERIC, BOX) + cls(START_PUNCTUATION),
            "[a-z]" + cls(UPPER_ACCENTED) + cls(START_PUNCTUATION, CURRENCY),
            cls(BOX) + cls(KAOMOJI),
            cls(LOWER_ACCENTED, UPPER_ACCENTED, CURRENCY, NUMERIC, START_PUNCTUATION, END_PUNCTUATION, LAW) + cls(BOX),
            cls(BOX) + cls(END_PUNCTUATION),
            cls(LOWER_ACCENTED, UPPER_ACCENTED) + cls(START_PUNCTUATION, END_PUNCTUATION) + "\\w",
            "[Œœ][^A-Za-z]",                                   // the ligature œ not followed by a Latin letter
            cls(UPPER_ACCENTED) + "°",                         // degree signs after capital letters
            "[ÂÃÎÐ]" + cls("€œŠš¢£Ÿž\\u00a0\\u00ad®©°·»", START_PUNCTUATION, END_PUNCTUATION, "–—´"),
            "×[²³]",
            // Windows-1252 mojibake of Arabic: four characters, as the 'common' ones are involved
            "[ØÙ]" + cls(COMMON, CURRENCY, BAD, NUMERIC, START_PUNCTUATION, "ŸŠ®°µ»")
                    + "[ØÙ]" + cls(COMMON, CURRENCY, BAD, NUMERIC, START_PUNCTUATION, "ŸŠ®°µ»"),
            "à[²µ¹¼½¾]",                                      // 3-character South Asian sequences
            "√[±∂†≠®™´≤≥¥µø]", "≈[°¢]", "‚Ä[ìîïòôúùû†°¢π]", "‚[âó][àä°ê]", // MacRoman
            "вЂ",                                              // Windows-1251, U+2000 range
            "[ВГРС]" + cls(C1, BAD, START_PUNCTUATION, END_PUNCTUATION, CURRENCY, "°µ") + "[ВГРС]",
            "ГўВЂВ.[A-Za-z ]",
            "Ã[\\u00a0¡]", "[a-z]\\s?[ÃÂ][ ]", "^[ÃÂ][ ]",
            "[a-z.,?!" + END_PUNCTUATION + "]Â[ " + START_PUNCTUATION + END_PUNCTUATION + "]",
            "β€[™\\u00a0Ά\\u00ad®°]",                         // Windows-1253, U+2000 range
            "[ΒΓΞΟ]" + cls(C1, BAD, START_PUNCTUATION, END_PUNCTUATION, CURRENCY, "°") + "[ΒΓΞΟ]",
            "ā€"),                                              // Windows-1257, U+2000 range
            Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);

    /** chardata.UTF8_DETECTOR_RE: runs of what look like UTF-8 lead and continuation bytes. */
    static final Pattern UTF8_DETECTOR = Pattern.compile(
            "(?<!" + cls(UTF8_CONTINUATION_STRICT) + ")(?:"
                    + cls(UTF8_FIRST_OF_2) + cls(UTF8_CONTINUATION) + "|"
                    + cls(UTF8_FIRST_OF_3) + cls(UTF8_CONTINUATION) + "{2}|"
                    + cls(UTF8_FIRST_OF_4) + cls(UTF8_CONTINUATION) + "{3})+",
            Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);

    /** badness.is_bad: does the text contain a likely mojibake sequence? */
    static boolean isBad(String text) {
        return BADNESS.matcher(text).find();
    }
}
