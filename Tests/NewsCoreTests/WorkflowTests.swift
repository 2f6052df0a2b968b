import NewsCore
import Testing

@Suite("Workflow and roles")
struct WorkflowTests {
    @Test("every transition for every role, own story or not")
    func transitions() {
        let statuses = ArticleStatus.allCases
        for role in Role.allCases {
            for own in [true, false] {
                for from in statuses {
                    for to in statuses {
                        let allowed = Workflow.canMove(from: from, to: to, role: role, isOwn: own)
                        let expected = Self.expected(from: from, to: to, role: role, own: own)
                        #expect(allowed == expected, "\(role) own=\(own): \(from) → \(to)")
                    }
                }
            }
        }
    }

    /// The rules of issue #3, written out independently of the implementation.
    static func expected(from: ArticleStatus, to: ArticleStatus, role: Role, own: Bool) -> Bool {
        if from == to { return false }
        switch role {
        case .contributor: return false
        case .journalist: return own && ((from == .draft && to == .review) || (from == .review && to == .draft))
        case .editor, .administrator:
            switch to {
            case .published, .scheduled: return true
            case .unpublished: return from == .published || from == .scheduled
            case .draft: return from == .review || from == .scheduled || from == .unpublished
            case .review: return from == .draft
            }
        }
    }

    @Test("who may edit a story's text")
    func editing() {
        #expect(Workflow.canEdit(status: .draft, role: .contributor, isOwn: true))
        #expect(!Workflow.canEdit(status: .review, role: .contributor, isOwn: true))
        #expect(!Workflow.canEdit(status: .draft, role: .contributor, isOwn: false))
        #expect(Workflow.canEdit(status: .review, role: .journalist, isOwn: true))
        #expect(!Workflow.canEdit(status: .published, role: .journalist, isOwn: true))
        #expect(Workflow.canEdit(status: .published, role: .editor, isOwn: false))
    }

    @Test("permissions by role")
    func permissions() {
        #expect(Role.contributor.can(.writeDrafts) && !Role.contributor.can(.submitForReview))
        #expect(Role.journalist.can(.submitForReview) && !Role.journalist.can(.publish))
        #expect(Role.editor.can(.publish) && Role.editor.can(.unpublish) && !Role.editor.can(.managePeople))
        #expect(Role.administrator.can(.managePeople) && Role.administrator.can(.manageSettings))
        #expect(Workflow.moves(from: .draft, role: .journalist, isOwn: true) == [.review])
        #expect(Workflow.moves(from: .draft, role: .editor, isOwn: false) == [.review, .published, .scheduled])
    }
}
