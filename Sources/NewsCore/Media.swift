/// A stored photo with its editorial data. The credit ("Фото: telegram.org") is data, never part of
/// the caption, so every place that shows the photo shows the credit too.
public struct Media: Sendable, Equatable, Codable {
    public var id: Int64?
    /// File name inside the media store.
    public var file: String
    public var mimeType: String
    public var width: Int
    public var height: Int
    public var caption: String?
    public var credit: String?
    public var creditURL: String?
    public var alt: String
    public var sourceURL: String?

    /// Creates a media record.
    public init(
        id: Int64? = nil, file: String, mimeType: String, width: Int, height: Int, caption: String? = nil,
        credit: String? = nil, creditURL: String? = nil, alt: String = "", sourceURL: String? = nil
    ) {
        self.id = id
        self.file = file
        self.mimeType = mimeType
        self.width = width
        self.height = height
        self.caption = caption
        self.credit = credit
        self.creditURL = creditURL
        self.alt = alt
        self.sourceURL = sourceURL
    }
}
