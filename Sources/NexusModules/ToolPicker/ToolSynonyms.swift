/// Words people say for what tool text calls something else: "tweet" for publish_post, "PR" for pull request.
///
/// Lexical retrieval misses a tool when the user's word never appears in its name or description. A small
/// table of everyday equivalences, applied to the query only (the index stays literal), closes the common
/// gaps. Expanded terms count for less than the words the user typed, so an exact match still ranks first.
public struct ToolSynonyms: Sendable {
    /// Stemmed query term → stemmed terms it also stands for.
    public let expansions: [String: [String]]

    /// Builds the table from groups of equivalent words (each word expands to the others) and one-way
    /// expansions (the key also means its values; phrases are split into terms).
    public init(groups: [[String]], oneWay: [String: [String]]) {
        var table: [String: Set<String>] = [:]
        for group in groups {
            let stems = group.flatMap { ToolTokenizer.terms($0) }
            for s in stems { table[s, default: []].formUnion(stems.filter { $0 != s }) }
        }
        for (key, values) in oneWay {
            for k in ToolTokenizer.terms(key) {
                table[k, default: []].formUnion(values.flatMap { ToolTokenizer.terms($0) }.filter { $0 != k })
            }
        }
        expansions = table.mapValues { $0.sorted() }
    }

    /// No expansion at all: the index matches only the literal terms.
    public static let none = ToolSynonyms(groups: [], oneWay: [:])

    /// Everyday equivalences for apps' tools: messaging, files, code hosting, money, media, travel, home.
    public static let standard = ToolSynonyms(
        groups: [
            ["email", "mail", "inbox"], ["message", "msg", "chat"], ["remove", "delete", "erase", "trash"],
            ["find", "search", "look", "lookup"], ["show", "list", "display", "view"], ["get", "fetch", "retrieve"],
            ["create", "add", "new", "make"], ["edit", "update", "modify", "change", "rename"],
            ["issue", "ticket", "bug"], ["task", "todo", "card", "ticket"], ["cost", "price", "fare", "estimate"],
            ["repository", "repo"], ["song", "track", "tune"],
            ["photo", "image", "picture", "pic"], ["video", "clip"], ["meeting", "event", "appointment"],
            ["invite", "invitation"], ["vacation", "pto", "leave", "holiday"], ["pay", "payment", "charge"],
            ["refund", "reimburse"], ["cost", "spend", "spent", "billing", "bill"], ["deploy", "release", "ship"],
            ["server", "instance", "vm", "machine", "droplet", "host"], ["document", "doc", "page", "note"],
            ["spreadsheet", "sheet"], ["translate", "translation"], ["transcribe", "transcript", "transcription"],
            ["light", "lamp", "bulb"], ["flight", "fly", "plane", "airline"], ["hotel", "stay", "accommodation"],
            ["ride", "taxi", "cab"], ["directions", "route", "navigate", "navigation"], ["restaurant", "eatery"],
            ["step", "walk", "walked"], ["sleep", "slept"], ["headline", "news"], ["paper", "article", "publication"],
            ["skip", "next"], ["play", "listen", "playing"], ["analytics", "stats", "statistics", "metrics"],
            ["incident", "outage"], ["exception", "error", "crash"], ["done", "complete", "finished"],
            ["diff", "changes"], ["reply", "respond", "answer"], ["subscription", "membership"],
            ["overdue", "unpaid", "late"], ["trending", "trend", "popular", "viral"], ["warning", "alert"],
            ["sales", "sell", "sold", "revenue"], ["contact", "person", "people"], ["deal", "opportunity"],
            ["lead", "prospect"], ["candidate", "applicant"], ["campaign", "newsletter"], ["form", "survey"],
            ["post", "publish"], ["storage", "quota", "space"], ["folder", "directory"], ["link", "url"],
            ["calendar", "schedule", "agenda"], ["weather", "forecast"], ["timezone", "zone"], ["logs", "log"],
        ],
        oneWay: [
            "tweet": ["twitter", "post", "publish"], "tell": ["send", "message"],
            "latitude": ["coordinates", "reverse geocode"],
            "longitude": ["coordinates", "reverse geocode"], "dm": ["direct message"], "pr": ["pull request"],
            "mr": ["pull request", "merge"], "ci": ["workflow", "pipeline", "build"],
            "rain": ["forecast", "precipitation", "weather"],
            "snow": ["forecast", "precipitation", "weather"], "temperature": ["weather", "thermostat"],
            "sunny": ["weather", "forecast"], "umbrella": ["rain", "forecast"], "hot": ["weather"], "cold": ["weather"],
            "aqi": ["air quality"], "pollution": ["air quality"], "smog": ["air quality"], "readme": ["file contents"],
            "bitcoin": ["crypto", "coin"], "btc": ["crypto", "bitcoin"], "eth": ["crypto", "ether"],
            "ether": ["crypto"],
            "dollar": ["currency", "exchange rate"], "euro": ["currency", "exchange rate"], "usd": ["currency"],
            "eur": ["currency"], "stock": ["quote", "inventory"], "share": ["stock", "permission"],
            "ticker": ["symbol", "stock"], "speech": ["audio", "voice"], "voice": ["speech", "audio"],
            "recording": ["audio"], "scanned": ["image", "ocr"], "receipt": ["image", "expense"],
            "heating": ["thermostat"], "degrees": ["temperature", "thermostat"], "doorbell": ["ring"],
            "lunch": ["meal", "food"], "dinner": ["meal", "food"], "breakfast": ["meal", "food"],
            "calories": ["meal"], "groceries": ["order", "grocery"], "louder": ["volume"], "quieter": ["volume"],
            "views": ["analytics"], "impressions": ["analytics"], "onsite": ["interview", "stage"],
            "ooo": ["out of office"], "away": ["out of office", "status"], "oncall": ["on call"],
            "latency": ["metric", "query"], "cpu": ["metric"], "p99": ["latency", "metric"], "memory": ["metric"],
            "signup": ["funnel", "conversion"], "conversion": ["funnel"], "csat": ["satisfaction"],
            "scores": ["rating"], "spreadsheet": ["row", "cells"], "sql": ["query"], "sunrise": ["sunset"],
            "sunset": ["sunrise"], "daylight": ["sunrise", "sunset"],
            "coordinates": ["latitude", "longitude", "geocode"],
            "address": ["geocode", "location"], "nearby": ["near", "places"], "coffee": ["places"], "cafe": ["places"],
            "dynos": ["scale", "instances"], "rollback": ["roll back"], "revert": ["roll back", "rollback"],
            "unread": ["read"], "vacation": ["time off"], "pto": ["time off"], "out": ["time off"],
            "time": ["clock", "now"], "clock": ["time"], "date": ["day"], "today": ["now", "date"],
            "weekday": ["business day"], "workday": ["business day"], "duration": ["add"], "later": ["schedule"],
            "tomorrow": ["forecast", "schedule"], "weekend": ["forecast"], "golive": ["live stream"],
            "stream": ["live"], "broadcast": ["live stream"], "guide": ["page", "article"], "wiki": ["page"],
            "dm's": ["direct message"], "delayed": ["status"], "delay": ["status"], "low": ["threshold"],
            "left": ["remaining", "balance", "quota"], "remaining": ["balance"], "owe": ["overdue", "balance"],
            "music": ["song", "track"], "artist": ["music"], "playlist": ["music"],
        ])
}
