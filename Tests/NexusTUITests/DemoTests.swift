import NexusCore
import Testing

@testable import NexusTUI

#if canImport(Glibc)
    import Glibc
#endif

/// Manual check only: `NEXUS_TUI_DEMO=1 swift test --filter tuiDemo` in a terminal runs the TUI
/// against the scripted session. Skipped otherwise.
@Test(.enabled(if: getenv("NEXUS_TUI_DEMO") != nil))
func tuiDemo() async {
    let interaction = TUIInteraction()
    let delayMs = getenv("NEXUS_TUI_DEMO_TOKEN_MS").flatMap { UInt64(String(cString: $0)) } ?? 20
    let session = ScriptedSession(interaction: interaction, tokenDelayNs: delayMs * 1_000_000)
    var env: [String: String] = [:]
    if let v = getenv("NO_COLOR") { env["NO_COLOR"] = String(cString: v) }
    if let v = getenv("TERM") { env["TERM"] = String(cString: v) }
    let app = TUIApp(session: session, options: TUIOptions(environment: env), interaction: interaction)
    let code = await app.run()
    #expect(code == 0)
}
