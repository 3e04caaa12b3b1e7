window.YTD.tweets.part1 = [
  {
    "tweet" : {
      "retweeted" : false,
      "entities" : { "hashtags" : [ ], "symbols" : [ ], "user_mentions" : [ ], "urls" : [ ] },
      "id_str" : "1060000000000000010",
      "id" : "1060000000000000010",
      "in_reply_to_status_id_str" : "1050118621198921728",
      "in_reply_to_screen_name" : "drjrivera",
      "created_at" : "Sat Nov 03 14:05:00 +0000 2018",
      "full_text" : "Update: the clinic on 5th St has extended hours until 8pm.",
      "lang" : "en"
    }
  }
]
