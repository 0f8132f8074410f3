package com.identitypass.kit

/**
 * A small JSON reader and writer (RFC 8259) for the few JSON documents the shell passes between
 * the core and platform APIs (passkey options and responses). Android has `org.json`, but the
 * desktop JVM that runs these tests does not, and nothing here justifies a library.
 *
 * Values are `Map<String, Any?>` (member order kept), `List<Any?>`, `String`, [Json.Number]
 * (its text, so no digit is lost on the way through), `Boolean` and `null`.
 */
object Json {
    /** A number as written: re-emitted verbatim, never rounded through a Double. */
    data class Number(val text: String)

    /** Not JSON, or nested deeper than anything legitimate. */
    class Malformed(message: String) : Exception(message)

    private const val MAX_DEPTH = 64

    fun parse(text: String): Any? {
        val reader = Reader(text)
        val value = reader.value(0)
        reader.skipSpace()
        if (!reader.atEnd()) throw Malformed("unexpected text after the value at ${reader.index}")
        return value
    }

    fun write(value: Any?): String = StringBuilder().also { write(value, it) }.toString()

    private fun write(value: Any?, out: StringBuilder) {
        when (value) {
            null -> out.append("null")
            is Boolean -> out.append(value)
            is Number -> out.append(value.text)
            is String -> writeString(value, out)
            is Map<*, *> -> {
                out.append('{')
                value.entries.forEachIndexed { i, (key, member) ->
                    if (i > 0) out.append(',')
                    writeString(key as? String ?: throw IllegalArgumentException("JSON member names are strings"), out)
                    out.append(':')
                    write(member, out)
                }
                out.append('}')
            }
            is List<*> -> {
                out.append('[')
                value.forEachIndexed { i, element ->
                    if (i > 0) out.append(',')
                    write(element, out)
                }
                out.append(']')
            }
            else -> throw IllegalArgumentException("not a JSON value: ${value::class.java.simpleName}")
        }
    }

    private fun writeString(s: String, out: StringBuilder) {
        out.append('"')
        for (c in s) {
            when {
                c == '"' -> out.append("\\\"")
                c == '\\' -> out.append("\\\\")
                c == '\n' -> out.append("\\n")
                c == '\r' -> out.append("\\r")
                c == '\t' -> out.append("\\t")
                c < ' ' -> out.append("\\u%04x".format(c.code))
                else -> out.append(c)
            }
        }
        out.append('"')
    }

    private class Reader(private val text: String) {
        var index = 0

        fun atEnd() = index >= text.length

        fun skipSpace() {
            while (!atEnd() && text[index] in " \t\r\n") index++
        }

        private fun fail(what: String): Nothing = throw Malformed("$what at $index")

        private fun expect(c: Char) {
            if (atEnd() || text[index] != c) fail("expected '$c'")
            index++
        }

        fun value(depth: Int): Any? {
            if (depth > MAX_DEPTH) fail("nested too deeply")
            skipSpace()
            if (atEnd()) fail("expected a value")
            return when (text[index]) {
                '{' -> obj(depth)
                '[' -> array(depth)
                '"' -> string()
                't' -> literal("true", true)
                'f' -> literal("false", false)
                'n' -> literal("null", null)
                else -> number()
            }
        }

        private fun obj(depth: Int): Map<String, Any?> {
            expect('{')
            val members = LinkedHashMap<String, Any?>()
            skipSpace()
            if (!atEnd() && text[index] == '}') { index++; return members }
            while (true) {
                skipSpace()
                val key = string()
                if (key in members) fail("duplicate member \"$key\"")
                skipSpace()
                expect(':')
                members[key] = value(depth + 1)
                skipSpace()
                if (!atEnd() && text[index] == ',') { index++; continue }
                expect('}')
                return members
            }
        }

        private fun array(depth: Int): List<Any?> {
            expect('[')
            val elements = ArrayList<Any?>()
            skipSpace()
            if (!atEnd() && text[index] == ']') { index++; return elements }
            while (true) {
                elements.add(value(depth + 1))
                skipSpace()
                if (!atEnd() && text[index] == ',') { index++; continue }
                expect(']')
                return elements
            }
        }

        private fun string(): String {
            expect('"')
            val out = StringBuilder()
            while (true) {
                if (atEnd()) fail("unterminated string")
                val c = text[index++]
                when {
                    c == '"' -> return out.toString()
                    c < ' ' -> fail("control character in a string")
                    c != '\\' -> out.append(c)
                    atEnd() -> fail("unterminated escape")
                    else -> when (val e = text[index++]) {
                        '"', '\\', '/' -> out.append(e)
                        'b' -> out.append('\b')
                        'f' -> out.append('\u000C')
                        'n' -> out.append('\n')
                        'r' -> out.append('\r')
                        't' -> out.append('\t')
                        'u' -> {
                            if (index + 4 > text.length) fail("short \\u escape")
                            val code = text.substring(index, index + 4).toIntOrNull(16) ?: fail("bad \\u escape")
                            out.append(code.toChar())
                            index += 4
                        }
                        else -> fail("bad escape '\\$e'")
                    }
                }
            }
        }

        private fun literal(word: String, value: Any?): Any? {
            if (!text.startsWith(word, index)) fail("expected $word")
            index += word.length
            return value
        }

        private fun number(): Number {
            val match = NUMBER.matchAt(text, index) ?: fail("expected a value")
            index = match.range.last + 1
            return Number(match.value)
        }
    }

    private val NUMBER = Regex("""-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?""")
}
