import Foundation

/// What a newsroom member writes about a photo: alt text for those who cannot see it, a caption, and a credit
/// (text and an optional link). The same rules hold at upload and when the photo is edited in the library.
public struct MediaDetails: Sendable, Equatable {
    public static let maxAlt = 500
    public static let maxCredit = 300
    public static let maxCaption = 2000
    public static let maxCreditURL = 1000

    public var alt: String
    public var credit: String
    public var caption: String?
    public var creditURL: String?

    /// The fields as typed, with whitespace and Unicode normalised and nothing else changed (``UkrainianText/tidy(_:)``:
    /// credits hold addresses and names in Latin letters); empty optional ones become `nil`.
    public init(alt: String?, credit: String?, caption: String?, creditURL: String?) {
        self.alt = UkrainianText.tidy(alt ?? "")
        self.credit = UkrainianText.tidy(credit ?? "")
        let caption = UkrainianText.tidy(caption ?? "")
        self.caption = caption.isEmpty ? nil : caption
        let url = ControlCharacters.strip(creditURL ?? "").trimmingCharacters(in: .whitespaces)
        self.creditURL = url.isEmpty ? nil : url
    }

    /// Every problem with the fields (alt text and credit are required).
    public var problems: [FieldError] {
        var problems: [FieldError] = []
        if alt.isEmpty || alt.count > Self.maxAlt { problems.append(FieldError(field: "alt", key: "error_media_alt")) }
        if credit.isEmpty || credit.count > Self.maxCredit {
            problems.append(FieldError(field: "credit", key: "error_media_credit"))
        }
        if let caption, caption.count > Self.maxCaption {
            problems.append(FieldError(field: "caption", key: "error_media_caption"))
        }
        if let creditURL, !Span.isSafeLink(creditURL) || creditURL.count > Self.maxCreditURL {
            problems.append(FieldError(field: "credit_url", key: "error_media_credit_url"))
        }
        return problems
    }
}

extension Media {
    /// The photo's editorial fields.
    public var details: MediaDetails {
        get { MediaDetails(alt: alt, credit: credit, caption: caption, creditURL: creditURL) }
        set {
            alt = newValue.alt
            credit = newValue.credit.isEmpty ? nil : newValue.credit
            caption = newValue.caption
            creditURL = newValue.creditURL
        }
    }
}
