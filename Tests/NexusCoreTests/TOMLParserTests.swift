import NexusCore
import Testing

/// What the TOML reader accepts, what it returns, and the line it keeps for each key and value.
@Suite struct TOMLParserTests {
    func parse(_ text: String) throws -> TOMLTable { try TOMLParser.parse(text) }

    func failure(_ text: String) -> TOMLError? {
        do {
            _ = try TOMLParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func keysAndValuesKeepTheirLines() throws {
        let doc = try parse(
            """
            # comment
            title = "nexus"

            [providers.local]
            kind = "openai"
            """)
        #expect(doc["title"]?.string == "nexus")
        #expect(doc.entry("title")?.line == 2)
        let local = try #require(doc.value(at: ["providers", "local"]))
        #expect(local.line == 4)
        #expect(local.table?.entry("kind")?.line == 5)
        #expect(local.table?["kind"]?.string == "openai")
    }

    @Test func quotedKeysInHeadersNameOneTable() throws {
        let doc = try parse(
            """
            [pricing."anthropic:claude-sonnet-4-5"]
            input_per_mtok = 3.0
            [pricing.'local:qwen2.5-coder:3b']
            input_per_mtok = 0
            """)
        let pricing = try #require(doc["pricing"]?.table)
        #expect(pricing.keys == ["anthropic:claude-sonnet-4-5", "local:qwen2.5-coder:3b"])
        #expect(pricing["anthropic:claude-sonnet-4-5"]?.table?["input_per_mtok"]?.float == 3.0)
        #expect(pricing["local:qwen2.5-coder:3b"]?.line == 3)
    }

    @Test func dottedKeysMakeNestedTables() throws {
        let doc = try parse(
            """
            sandbox.exec.timeout_seconds = 30
            sandbox.exec.memory_mb = 256
            "a b" . c = true
            """)
        #expect(doc.value(at: ["sandbox", "exec", "timeout_seconds"])?.integer == 30)
        #expect(doc.value(at: ["sandbox", "exec", "memory_mb"])?.integer == 256)
        #expect(doc.value(at: ["a b", "c"])?.boolean == true)
    }

    @Test func arrayOfTablesAppendsOneTablePerHeader() throws {
        let doc = try parse(
            """
            [[server]]
            name = "a"
            [server.limits]
            cpu = 1
            [[server]]
            name = "b"
            """)
        let servers = try #require(doc["server"]?.array)
        #expect(servers.count == 2)
        #expect(servers[0].line == 1)
        #expect(servers[1].line == 5)
        #expect(servers[0].table?.value(at: ["limits", "cpu"])?.integer == 1)
        #expect(servers[1].table?["name"]?.string == "b")
    }

    @Test func basicStringsUnderstandEveryEscape() throws {
        let doc = try parse(#"s = "tab\there \"q\" back\\slash \u00E9 \U0001F600 nl\n""#)
        #expect(doc["s"]?.string == "tab\there \"q\" back\\slash é 😀 nl\n")
    }

    @Test func literalStringsKeepBackslashes() throws {
        let doc = try parse(#"path = 'C:\Users\nexus'"#)
        #expect(doc["path"]?.string == #"C:\Users\nexus"#)
    }

    @Test func multiLineBasicStringsTrimTheFirstNewlineAndJoinBackslashLines() throws {
        let doc = try parse(
            "a = \"\"\"\nline one\nline two\"\"\"\nb = \"\"\"\\\n    joined \\\n    words\"\"\"\nc = 1\nd = \"\"\"two quotes\"\"\"\"\"\n"
        )
        #expect(doc["a"]?.string == "line one\nline two")
        #expect(doc["b"]?.string == "joined words")
        #expect(doc.entry("c")?.line == 7)
        #expect(doc["d"]?.string == "two quotes\"\"")
    }

    @Test func multiLineLiteralStringsAreRaw() throws {
        let doc = try parse("re = '''\n\\d+ 'x' \\n'''\nnext = 2\n")
        #expect(doc["re"]?.string == "\\d+ 'x' \\n")
        #expect(doc.entry("next")?.line == 3)
    }

    @Test func integersInEveryBaseWithUnderscores() throws {
        let doc = try parse(
            """
            a = +99
            b = -17
            c = 1_000_000
            d = 0xDEAD_beef
            e = 0o755
            f = 0b1101
            g = -9223372036854775808
            h = 0
            """)
        #expect(doc["a"]?.integer == 99)
        #expect(doc["b"]?.integer == -17)
        #expect(doc["c"]?.integer == 1_000_000)
        #expect(doc["d"]?.integer == 0xDEAD_BEEF)
        #expect(doc["e"]?.integer == 0o755)
        #expect(doc["f"]?.integer == 13)
        #expect(doc["g"]?.integer == Int.min)
        #expect(doc["h"]?.integer == 0)
    }

    @Test func floatsIncludingExponentsAndSpecials() throws {
        let doc = try parse(
            """
            a = 3.14
            b = -0.01
            c = 5e+22
            d = 6.626e-34
            e = 224_617.445_991
            f = -inf
            g = nan
            h = +inf
            """)
        #expect(doc["a"]?.float == 3.14)
        #expect(doc["b"]?.float == -0.01)
        #expect(doc["c"]?.float == 5e22)
        #expect(doc["d"]?.float == 6.626e-34)
        #expect(doc["e"]?.float == 224_617.445_991)
        #expect(doc["f"]?.float == -.infinity)
        #expect(doc["g"]?.float?.isNaN == true)
        #expect(doc["h"]?.float == .infinity)
    }

    @Test func datesAreKeptAsWritten() throws {
        let doc = try parse(
            """
            a = 1979-05-27T07:32:00Z
            b = 1979-05-27 07:32:00.999-07:00
            c = 1979-05-27
            d = 07:32:00
            """)
        #expect(doc["a"]?.kind == .dateTime("1979-05-27T07:32:00Z"))
        #expect(doc["b"]?.kind == .dateTime("1979-05-27 07:32:00.999-07:00"))
        #expect(doc["c"]?.kind == .dateTime("1979-05-27"))
        #expect(doc["d"]?.kind == .dateTime("07:32:00"))
    }

    @Test func multiLineArraysWithCommentsAndATrailingComma() throws {
        let doc = try parse(
            """
            code_generation = [
              "anthropic:claude-sonnet-4-5",  # first choice
              "local:qwen2.5-coder:3b",
            ]
            mixed = [1, "two", [3.0], { four = 4 }]
            after = true
            """)
        let chain = try #require(doc["code_generation"]?.array)
        #expect(chain.map(\.string) == ["anthropic:claude-sonnet-4-5", "local:qwen2.5-coder:3b"])
        #expect(chain.map(\.line) == [2, 3])
        #expect(doc["mixed"]?.array?.count == 4)
        #expect(doc["mixed"]?.array?[3].table?["four"]?.integer == 4)
        #expect(doc.entry("after")?.line == 6)
    }

    @Test func inlineTablesWithDottedKeys() throws {
        let doc = try parse(#"headers = { "X-Title" = "nexus", a.b = 1 }"#)
        #expect(doc.value(at: ["headers", "X-Title"])?.string == "nexus")
        #expect(doc.value(at: ["headers", "a", "b"])?.integer == 1)
        #expect(try parse("empty = {}")["empty"]?.table?.isEmpty == true)
    }

    @Test func crlfLineEndingsCountLines() throws {
        let doc = try parse("a = 1\r\nb = \"\"\"x\r\ny\"\"\"\r\nc = 3\r\n")
        #expect(doc["b"]?.string == "x\ny")
        #expect(doc.entry("c")?.line == 4)
    }

    @Test func implicitTableMayBeDefinedLater() throws {
        let doc = try parse("[a.b]\nx = 1\n[a]\ny = 2\n")
        #expect(doc.value(at: ["a", "b", "x"])?.integer == 1)
        #expect(doc.value(at: ["a", "y"])?.integer == 2)
        #expect(doc["a"]?.line == 3)
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let doc = try TOMLParser.parse([0xEF, 0xBB, 0xBF] + Array("a = 1\n".utf8))
        #expect(doc["a"]?.integer == 1)
    }

    @Test func emptyDocumentIsAnEmptyTable() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("\n# only a comment\n\n").isEmpty)
    }
}
