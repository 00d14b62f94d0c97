import Glibc
import NexusCore
import NexusSandbox
import NexusTesting
import Testing

/// Issue 12 items 2, 3, 5 and 18, through the built binary: fail closed when a layer is missing (the
/// probe's mask seam simulates one), tier B's network namespace, the unprivileged uid under root, and
/// `sandbox exec --help`.
@Suite(.serialized) struct SandboxHardeningTests {
    static let mask = SandboxProbe.maskVariable

    @Test func execHelpPrintsHelpAndDoubleDashStillPassesHelpToTheCommand() throws {
        guard Jail.built else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let help = Subprocess.runNexus(["sandbox", "exec", "--help"], in: dir)
        #expect(help.status == 0 && help.stdout.contains("USAGE: nexus sandbox exec"), "\(help.stderr)")
        #expect(help.stdout.contains("--data-dir") && !help.stderr.contains("not found in the sandbox"))
        let passed = Jail.exec([], ["sh", "-c", "echo got:$1", "sh", "--help"], in: dir)
        #expect(passed.result?.stdout == "got:--help\n", "\(passed.stderr)")
    }

    @Test func aMissingLayerRefusesEveryModeNamingItUnlessDegradedIsAllowed() throws {
        guard Jail.built else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        for layer in ["landlock", "seccomp"] {
            for mode in ["exec", "validate"] {
                let refused = Jail.exec(
                    ["--mode", mode], ["sh", "-c", "echo RAN"], in: dir, environment: [Self.mask: layer])
                #expect(refused.status == ExitStatus.usage.rawValue && refused.result == nil, "\(layer) \(mode)")
                #expect(refused.stderr.contains("\(mode) mode refused") && refused.stderr.contains("lacks \(layer)"))
                #expect(refused.stderr.contains("--allow-degraded"))
                #expect(!refused.stdout.contains("RAN"))
            }
            let allowed = Jail.exec(
                ["--allow-degraded"], ["sh", "-c", "echo RAN"], in: dir, environment: [Self.mask: layer])
            let r = try #require(allowed.result, "\(allowed.stderr)")
            #expect(r.stdout == "RAN\n" && r.degraded && r.missingLayers == [layer])
            #expect(allowed.stderr.contains("DEGRADED run (tier A): missing \(layer)"))
        }
        // The config key allows it too.
        _ = system("printf '[sandbox]\\nallow_degraded = true\\n' > \(dir)/cfg/nexus.toml")
        let byConfig = Jail.exec([], ["true"], in: dir, environment: [Self.mask: "landlock"])
        #expect(byConfig.result?.degraded == true, "\(byConfig.stderr)")
    }

    /// Tier C (no namespaces: as root the command keeps uid 0) allowed as degraded still has Landlock: the code
    /// it runs cannot read the vault key, rewrite the config, forge or truncate the audit log, or list the home.
    @Test func aDegradedTierCRunAsRootStillCannotReachTheKeyTheConfigOrTheAuditLog() throws {
        guard Jail.built else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let home = dir + "/nexus-home"
        let audit = home + "/logs/sandbox-audit.jsonl"
        _ = Jail.exec([], ["true"], in: dir)  // a first run creates the audit log
        let before = try readFile(audit)
        let attack = """
            id -u; cat \(dir)/cfg/vault.key && echo READ-KEY; echo x > \(dir)/cfg/nexus.toml && echo WROTE-CFG
            echo '{"kind":"sandbox_run","outcome":"ok"}' >> \(audit) && echo FORGED
            : > \(audit) && echo TRUNCATED; ls \(home) && echo LISTED
            """
        let run = Jail.exec(["--tier", "C", "--allow-degraded"], ["sh", "-c", attack], in: dir)
        let r = try #require(run.result, "\(run.stderr)")
        #expect(r.degraded && run.stderr.contains("DEGRADED run (tier C)"), "\(run.stderr)")
        for word in ["READ-KEY", "WROTE-CFG", "FORGED", "TRUNCATED", "LISTED"] {
            #expect(!r.stdout.contains(word), "\(word): \(r.stdout) \(r.stderr)")
        }
        #expect(try readFile(dir + "/cfg/vault.key") == "key\n")
        let after = try readFile(audit)
        #expect(after.hasPrefix(before) && !after.contains(#""outcome":"ok"}\n{"kind":"sandbox_run","outcome""#))
        #expect(after.split(separator: "\n").count == before.split(separator: "\n").count + 1)
    }

    @Test func probeAndDoctorSummaryNameTheMissingLayer() throws {
        guard Jail.built else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let probe = Subprocess.runNexus(["sandbox", "probe"], in: dir, environment: [Self.mask: "seccomp"])
        #expect(probe.stdout.contains("missing: seccomp"), "\(probe.stdout)")
        #expect(probe.stdout.contains("mode exec: DEGRADED, missing seccomp"))
        #expect(probe.stdout.contains("masked by \(Self.mask): seccomp"))
        let json = Subprocess.runNexus(["sandbox", "probe", "--json"], in: dir, environment: [Self.mask: "landlock"])
        let v = try JSONValue(parsing: json.stdout)
        #expect(v["missing"]?["validate"]?.arrayValue?.compactMap(\.stringValue) == ["landlock"])
        let doctor = Subprocess.runNexus(
            ["doctor", "--home", dir + "/nexus-home", "--config", dir + "/cfg/nexus.toml"], in: dir,
            environment: [Self.mask: "landlock"])
        let line = doctor.stdout.split(separator: "\n").first { $0.contains("sandbox") } ?? ""
        #expect(line.contains("missing: landlock") && line.contains("refused"), "\(doctor.stdout)")
    }

    @Test func socketsAreOnlyWhatTheModeNeeds() throws {
        guard Jail.built else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let script = """
            import socket
            for name, args in [('tcp', (2, 1, 0)), ('udp', (2, 2, 0)), ('unix', (1, 1, 0)), ('mptcp', (2, 1, 262)),
                               ('sctp', (2, 1, 132)), ('udplite', (2, 2, 136)), ('raw', (2, 3, 6))]:
                try:
                    socket.socket(*args).close(); print(name, 'ok')
                except OSError as e:
                    print(name, 'refused', e.errno)
            """
        let exec = try #require(Jail.exec([], ["python3", "-c", script], in: dir).result)
        #expect(exec.stdout.contains("tcp refused 97") && exec.stdout.contains("udp refused 97"), "\(exec.stdout)")
        #expect(exec.stdout.contains("unix ok"))
        let validate = try #require(Jail.exec(["--mode", "validate"], ["python3", "-c", script], in: dir).result)
        #expect(
            validate.stdout.contains("tcp ok") && validate.stdout.contains("udp ok")
                && validate.stdout.contains("unix ok"))
        for other in ["mptcp", "sctp", "udplite", "raw"] {
            #expect(validate.stdout.contains("\(other) refused"), "\(validate.stdout)")
        }
    }

    @Test func tierBWithoutANetworkNamespaceRefusesValidateButRunsExec() throws {
        guard Jail.built, SandboxProbe.run().isRoot else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let masked = [Self.mask: "userns,netns"]
        let refused = Jail.exec(["--mode", "validate"], ["true"], in: dir, environment: masked)
        #expect(refused.stderr.contains("validate mode refused") && refused.stderr.contains("network namespace"))
        #expect(refused.result == nil)
        let exec = Jail.exec([], ["sh", "-c", "echo RAN"], in: dir, environment: masked)
        #expect(exec.result?.stdout == "RAN\n" && exec.result?.tier == "B" && exec.result?.degraded == false)
    }

    @Test func tierBValidateReachesOnlyTheProxyFromANetworkNamespaceOfItsOwn() throws {
        guard Jail.built, SandboxProbe.run().isRoot else { return }
        let server = try #require(T.HTTPServer(body: "host-service"))
        defer { server.stop() }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        let script = """
            import socket, urllib.request
            for proto in (0, 262):
                try:
                    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto); s.settimeout(2)
                    s.connect(('127.0.0.1', \(server.port))); s.sendall(b'GET / HTTP/1.0\\r\\n\\r\\n')
                    print('DIRECT', proto, s.recv(200))
                except OSError as e:
                    print('blocked', proto, e.errno)
            print(urllib.request.urlopen('http://127.0.0.1:\(server.port)/via-proxy', timeout=5).read().decode())
            """
        let run = Jail.exec(
            ["--mode", "validate", "--allow-host", "127.0.0.1:\(server.port)"], ["python3", "-c", script], in: dir,
            environment: [Self.mask: "userns"])
        let r = try #require(run.result, "\(run.stderr)")
        #expect(r.tier == "B" && !r.degraded)
        #expect(!r.stdout.contains("DIRECT") && r.stdout.contains("host-service"), "\(r.stdout) \(r.stderr)")
        #expect(server.requestLines.contains { $0.contains("/via-proxy") })
    }

    @Test func asRootTheSandboxIsAnUnprivilegedUidSoRootOnlyFilesInGrantedTreesStayUnreadable() throws {
        guard Jail.built, geteuid() == 0 else { return }
        let dir = Jail.scratch()
        defer { _ = system("rm -rf \(dir)") }
        mkdir(dir + "/grants/tree", 0o755)
        _ = system("echo public > \(dir)/grants/tree/public; echo secret > \(dir)/grants/tree/root-only")
        chmod(dir + "/grants/tree/root-only", 0o600)
        mkdir(dir + "/ws", 0o755)
        let script =
            "cat \(dir)/grants/tree/public; cat \(dir)/grants/tree/root-only || echo DENIED; "
            + "awk '{print \"map\", $1, $2}' /proc/self/uid_map; echo made > /workspace/out"
        let run = Jail.exec(
            ["--mode", "validate", "--workspace", dir + "/ws", "--ro-path", dir + "/grants/tree"],
            ["sh", "-c", script], in: dir)
        let r = try #require(run.result, "\(run.stderr)")
        #expect(
            r.stdout.contains("public") && r.stdout.contains("DENIED") && !r.stdout.contains("secret"), "\(r.stderr)")
        let hostUID = r.stdout.split(separator: "\n").first { $0.hasPrefix("map 0 ") }.flatMap {
            Int($0.split(separator: " ")[2])
        }
        #expect((hostUID ?? 0) >= 200_000, "\(r.stdout)")
        // The root-owned workspace is still the sandbox's own (an idmapped mount); the file lands as root.
        var st = stat()
        #expect(stat(dir + "/ws/out", &st) == 0 && st.st_uid == 0)
    }
}

extension Subprocess {
    /// The built nexus with `--home`/`--config`-free arguments, HOME in `dir`.
    static func runNexus(_ args: [String], in dir: String, environment: [String: String] = [:]) -> Result {
        var env = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": dir + "/userhome"]
        for (k, v) in environment { env[k] = v }
        return run([HostileCorpusTests.nexus] + args, environment: env, timeout: 60)
    }
}
