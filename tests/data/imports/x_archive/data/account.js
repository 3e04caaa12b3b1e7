window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "jane.rivera@example.org",
      "createdVia" : "web",
      "username" : "drjrivera",
      "accountId" : "123456789",
      "createdAt" : "2011-02-01T10:00:00.000Z",
      "accountDisplayName" : "Dr. Jane Rivera"
    }
  }
]
