/// How each `Style` looks: 256 colours, 8 colours, or attributes only (monochrome, `NO_COLOR`).
///
/// Pure data, so the fallback rules are testable: the driver turns an entry into a curses colour
/// pair and attribute bits.
public struct Theme: Sendable {
    public enum Depth: Sendable, Equatable { case mono, basic, full }

    /// Text attributes independent of colour.
    public struct Attrs: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let bold = Attrs(rawValue: 1)
        public static let dim = Attrs(rawValue: 2)
        public static let reverse = Attrs(rawValue: 4)
        public static let underline = Attrs(rawValue: 8)
    }

    /// One style's look: foreground/background (-1 = terminal default) and attributes.
    public struct Look: Sendable, Equatable {
        public var fg: Int
        public var bg: Int
        public var attrs: Attrs
    }

    public let depth: Depth

    public init(depth: Depth) { self.depth = depth }

    /// Picks the depth: `NO_COLOR` (any value) or `never` means none; else what the terminal has.
    public static func depth(colors: Int, mode: String, environment: [String: String]) -> Depth {
        if mode == "never" { return .mono }
        if mode != "always", let v = environment["NO_COLOR"], !v.isEmpty { return .mono }
        if colors >= 256 { return .full }
        if colors >= 8 { return .basic }
        return .mono
    }

    public func look(_ s: Style) -> Look {
        switch depth {
        case .mono: return Look(fg: -1, bg: -1, attrs: Self.mono(s))
        case .full:
            let (fg, bg, a) = Self.full(s)
            return Look(fg: fg, bg: bg, attrs: a)
        case .basic:
            let (fg, bg, a) = Self.full(s)
            return Look(fg: Self.basic(fg), bg: Self.basic(bg), attrs: a)
        }
    }

    static func mono(_ s: Style) -> Attrs {
        switch s {
        case .normal, .assistant, .code, .tool, .input, .hidden, .badge, .detail, .nodeOK, .healthy, .border,
            .overlay:
            return []
        case .dim, .codeFence, .notice, .nodeIdle, .disabled, .unknown: return .dim
        case .bold, .accent, .title, .user, .error, .approval, .approvalKey, .inputPrompt, .degraded, .overlayKey:
            return .bold
        case .borderFocus, .titleFocus: return [.bold, .underline]
        case .nodeActive, .selection: return [.reverse, .bold]
        case .nodeError, .failing: return [.bold, .underline]
        case .status, .statusWarn: return .reverse
        case .statusGood, .statusBad: return [.reverse, .bold]
        }
    }

    static func full(_ s: Style) -> (Int, Int, Attrs) {
        switch s {
        case .normal, .assistant, .input, .hidden: return (-1, -1, [])
        case .dim, .notice, .unknown: return (244, -1, [])
        case .bold: return (-1, -1, .bold)
        case .accent: return (75, -1, [])
        case .border: return (240, -1, [])
        case .borderFocus: return (81, -1, .bold)
        case .title: return (250, -1, .bold)
        case .titleFocus: return (81, -1, .bold)
        case .user: return (153, -1, .bold)
        case .code: return (222, 235, [])
        case .codeFence: return (242, -1, [])
        case .tool: return (141, -1, [])
        case .error: return (203, -1, [])
        case .approval: return (220, -1, .bold)
        case .approvalKey: return (114, -1, .bold)
        case .nodeIdle, .disabled: return (242, -1, [])
        case .nodeActive: return (16, 220, .bold)
        case .nodeOK, .healthy: return (114, -1, [])
        case .nodeError, .failing: return (203, -1, .bold)
        case .degraded: return (220, -1, [])
        case .badge: return (110, -1, [])
        case .detail: return (180, -1, [])
        case .inputPrompt: return (81, -1, .bold)
        case .status: return (252, 236, [])
        case .statusGood: return (114, 236, [])
        case .statusBad: return (203, 236, .bold)
        case .statusWarn: return (220, 236, [])
        case .overlay: return (252, 237, [])
        case .overlayKey: return (81, 237, .bold)
        case .selection: return (16, 81, [])
        }
    }

    /// The nearest of the 8 basic colours for a 256-colour index (-1 stays default).
    static func basic(_ c: Int) -> Int {
        switch c {
        case -1: return -1
        case 16, 232...237: return 0  // black
        case 203, 196, 160: return 1  // red
        case 114, 2: return 2  // green
        case 220, 222, 180: return 3  // yellow
        case 75, 110: return 4  // blue
        case 141: return 5  // magenta
        case 81, 153: return 6  // cyan
        default: return c >= 238 ? 7 : 7
        }
    }
}
