import Testing

@testable import NexusCore

/// Dollars are printed the same everywhere, and no value can crash the printer.
@Suite struct MoneySpecs {
    @Test func amountsArePaddedToTheirDecimals() {
        #expect(Money.dollars(0.0021, decimals: 4) == "$0.0021")
        #expect(Money.dollars(1.5, decimals: 2) == "$1.50")
        #expect(Money.dollars(12, decimals: 4) == "$12.0000")
        #expect(Money.dollars(0, decimals: 2) == "$0.00")
        #expect(Money.dollars(-0.25, decimals: 2) == "-$0.25")
        #expect(Money.dollars(0.00004, decimals: 4) == "$0.0000")
    }

    @Test func absurdAmountsArePrintedNotTrapped() {
        #expect(Money.dollars(.infinity, decimals: 4) == "$?")
        #expect(Money.dollars(.nan, decimals: 2) == "$?")
        #expect(Money.dollars(9e21, decimals: 4) == "$9e+21")
        #expect(Money.dollars(999_999_999_999, decimals: 4) == "$999999999999.0000")
    }
}
