window.YTD.tweet.part0 = [ {
  "retweeted" : false,
  "entities" : { "hashtags" : [ ], "symbols" : [ ], "user_mentions" : [ ], "urls" : [ ] },
  "id_str" : "990000000000000001",
  "id" : "990000000000000001",
  "created_at" : "Sat Apr 28 09:15:00 +0000 2018",
  "full_text" : "An archive in the 2019 layout: tweet.js with no \"tweet\" wrapper."
} ]
