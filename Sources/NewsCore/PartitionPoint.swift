extension RandomAccessCollection {
    /// The first index whose element is not `before` the sought place, for a collection ordered so that every
    /// element `before` it comes first (a binary search: `log₂ count` calls of `before`).
    public func partitionPoint(where before: (Element) -> Bool) -> Index {
        var (low, count) = (startIndex, self.count)
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if before(self[middle]) {
                low = index(after: middle)
                count -= half + 1
            } else {
                count = half
            }
        }
        return low
    }
}
