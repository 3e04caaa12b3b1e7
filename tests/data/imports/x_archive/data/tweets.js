window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [ "1050118621198921728" ],
          "editableUntil" : "2018-10-10T21:19:24.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ { "text" : "FluSeason", "indices" : [ "44", "54" ] } ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [
          {
            "url" : "https://t.co/abc123XYZ",
            "expanded_url" : "https://hospital.example.org/flu",
            "display_url" : "hospital.example.org/flu",
            "indices" : [ "79", "102" ]
          }
        ]
      },
      "display_text_range" : [ "0", "102" ],
      "favorite_count" : "12",
      "id_str" : "1050118621198921728",
      "truncated" : false,
      "retweet_count" : "3",
      "id" : "1050118621198921728",
      "created_at" : "Wed Oct 10 20:19:24 +0000 2018",
      "favorited" : false,
      "full_text" : "Flu shots are free for staff this week &amp; next. #FluSeason Details &gt;&gt; https://t.co/abc123XYZ",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "retweeted" : false,
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ { "name" : "City Hospital", "screen_name" : "cityhospital", "indices" : [ "3", "16" ], "id_str" : "42", "id" : "42" } ],
        "urls" : [ ]
      },
      "id_str" : "1050200000000000001",
      "id" : "1050200000000000001",
      "created_at" : "Thu Oct 11 08:00:00 +0000 2018",
      "full_text" : "RT @cityhospital: Our new cardiac wing opens Monday!",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "retweeted" : false,
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ ],
        "media" : [
          {
            "expanded_url" : "https://twitter.com/drjrivera/status/1050300000000000002/photo/1",
            "indices" : [ "64", "87" ],
            "url" : "https://t.co/PHOTO1link",
            "media_url" : "http://pbs.twimg.com/media/DpTeam1.jpg",
            "id_str" : "1050299999999999999",
            "media_url_https" : "https://pbs.twimg.com/media/DpTeam1.jpg",
            "type" : "photo",
            "display_url" : "pic.twitter.com/PHOTO1link"
          }
        ]
      },
      "extended_entities" : {
        "media" : [
          {
            "url" : "https://t.co/PHOTO1link",
            "media_url_https" : "https://pbs.twimg.com/media/DpTeam1.jpg",
            "type" : "photo"
          },
          {
            "url" : "https://t.co/PHOTO1link",
            "media_url_https" : "https://pbs.twimg.com/media/DpTeam2.jpg",
            "type" : "photo"
          }
        ]
      },
      "id_str" : "1050300000000000002",
      "id" : "1050300000000000002",
      "created_at" : "Thu Oct 11 23:30:00 -0500 2018",
      "full_text" : "Night shift crew, ready for anything. Grateful for this team 💙 https://t.co/PHOTO1link",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "retweeted" : false,
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ ],
        "media" : [
          {
            "url" : "https://t.co/ONLYphoto",
            "media_url_https" : "https://pbs.twimg.com/media/OnlyPhoto.jpg",
            "type" : "photo"
          }
        ]
      },
      "id_str" : "1050400000000000003",
      "id" : "1050400000000000003",
      "created_at" : "Fri Oct 12 10:00:00 +0000 2018",
      "full_text" : "https://t.co/ONLYphoto",
      "lang" : "und"
    }
  }
]
