"""The catalog in English: per key, the label a landing page shows, and what Santa says to a young child (up to
six) and to an older one, two ways each. `{name}` is the child's name."""

ENTRIES = {
    "helped_at_home": ("Helped at home", [
        "I saw how you helped at home this year. Even little hands make a big difference!",
        "My elves told me you are a wonderful helper at home. That makes me so happy!",
    ], [
        "I know you helped a lot at home this year. That is what makes a family strong.",
        "My elves noticed all the ways you helped at home, {name}. I am very proud of you.",
    ]),
    "tidied_room": ("Kept their room tidy", [
        "I heard you put your toys away all by yourself. What a big step!",
        "My elves told me your room has been so neat and tidy. Well done!",
    ], [
        "I heard you kept your room tidy this year, without even being asked. Impressive!",
        "A tidy room is not always easy, and you managed it. My elves were amazed.",
    ]),
    "kind_to_sibling": ("Was kind to a brother or sister", [
        "I saw how kind you were to your brother or sister. That warmed my heart.",
        "You have been so gentle and loving with your family. I noticed, {name}!",
    ], [
        "I know you looked after your brother or sister this year. That is a real gift.",
        "Being kind at home, even on hard days, is something special. You did it.",
    ]),
    "shared_toys": ("Shared with others", [
        "I saw you sharing your toys with others. Sharing is one of my favourite things!",
        "My elves told me you take turns and share. That is so kind of you.",
    ], [
        "I heard you were generous with others this year. The world needs more of that.",
        "Sharing what you have is a true Christmas spirit, and you have plenty of it.",
    ]),
    "worked_hard_at_school": ("Worked hard at school", [
        "I hear you are learning so many new things at school. How exciting!",
        "My elves told me you listen well and try hard at school. Wonderful!",
    ], [
        "I know you worked really hard at school this year. All that effort counts.",
        "Your teachers and my elves agree: you gave school your very best. Well done!",
    ]),
    "learned_to_read": ("Learned to read", [
        "I heard you are learning to read! Soon you can read my letters yourself.",
        "You can read words now, {name}! The elves cheered when they heard.",
    ], [
        "I heard you became a real reader this year. A whole world of stories is yours now.",
        "Reading opens every door, and you have the key now. I am so proud of you.",
    ]),
    "learned_to_ride_a_bike": ("Learned to ride a bike", [
        "I heard you learned to ride a bike! Whoosh, just like my sleigh!",
        "My elves saw you pedalling away on your bike. How brave and clever!",
    ], [
        "I heard you learned to ride your bike this year. That takes practice and courage.",
        "Learning to ride a bike is not easy, and you kept trying until you did it.",
    ]),
    "learned_to_swim": ("Learned to swim", [
        "I heard you learned to swim! Splish, splash, just like a little seal.",
        "My elves told me you are brave in the water now. Well done, {name}!",
    ], [
        "I heard you learned to swim this year. That took real courage.",
        "Swimming is hard work, and you stuck with it. The reindeer are impressed!",
    ]),
    "brave_at_the_doctor": ("Was brave at the doctor", [
        "I heard you were so brave at the doctor. That is a very big deal!",
        "My elves told me how brave you were, even when it was a little scary.",
    ], [
        "I know you were brave at the doctor this year. Being brave means going on even when it is hard.",
        "You faced something difficult with courage. I am very proud of you, {name}.",
    ]),
    "made_a_new_friend": ("Made a new friend", [
        "I heard you made a new friend this year. Friends make everything more fun!",
        "My elves told me you were kind to someone new. That is how friendships begin.",
    ], [
        "I heard you made a new friend this year. Good friends are a real treasure.",
        "Reaching out to someone new takes courage and kindness, and you have both.",
    ]),
    "cared_for_a_pet": ("Took care of a pet", [
        "I heard you help take care of your pet. Animals know when they are loved!",
        "My reindeer told me you are so gentle with animals. They like that very much.",
    ], [
        "I know you took good care of your pet this year. That is real responsibility.",
        "Feeding and caring for an animal every day is hard work, and you did it.",
    ]),
    "tried_new_foods": ("Tried new foods", [
        "I heard you tried some new foods, even vegetables! Mrs. Claus is very impressed.",
        "My elves told me you took a brave little bite of something new. Hooray!",
    ], [
        "I heard you tried new foods this year. Being curious is a wonderful thing.",
        "Mrs. Claus told me you were brave enough to taste new things. Good for you!",
    ]),
    "slept_in_own_bed": ("Slept in their own bed", [
        "I heard you sleep in your own bed now, like a big kid. Sweet dreams!",
        "My elves told me you are sleeping in your own bed. That is very grown up!",
    ], [
        "I heard you got used to sleeping on your own this year. Well done.",
        "Sleeping in your own bed takes courage, and you found it. Good night, {name}!",
    ]),
    "practised_music": ("Practised music", [
        "I heard you love making music! The elves dance when they hear you.",
        "My elves told me you sing and play so happily. What a joyful sound!",
    ], [
        "I know you practised your music this year, day after day. That is how talent grows.",
        "The elves in my workshop hum your tunes. Keep practising, {name}!",
    ]),
    "good_at_sport": ("Tried hard at sport", [
        "I saw you running and jumping and playing so well. What energy!",
        "My elves told me you are a great team player. Well done!",
    ], [
        "I know you trained hard at your sport this year. Win or lose, your effort counts.",
        "Being a good teammate matters as much as scoring, and you are a great one.",
    ]),
    "good_manners": ("Said please and thank you", [
        "I heard you always say please and thank you. Such good manners!",
        "My elves told me you have lovely manners. That makes everyone smile.",
    ], [
        "I noticed your good manners this year. Kind words make every day better.",
        "Saying please and thank you seems small, but it means a lot. You do it so well.",
    ]),
    "new_baby_in_the_family": ("Welcomed a new baby in the family", [
        "I heard there is a new baby in your family, and you are a wonderful big sibling!",
        "My elves told me how gently you help with the baby. That is very special.",
    ], [
        "I know there is a new baby in your family, and you have been so patient and helpful.",
        "Being a big sibling is an important job, and you are doing it beautifully.",
    ]),
    "started_school": ("Started at a new school", [
        "I heard you started school this year. What a big adventure!",
        "My elves told me you were brave on your first day at school. Wonderful!",
    ], [
        "I know starting at a new school was a big change, and you handled it so well.",
        "New classrooms, new faces, and you faced them all bravely. Well done, {name}.",
    ]),
    "made_art": ("Made wonderful drawings and crafts", [
        "I heard you make beautiful drawings. I would love one for my workshop wall!",
        "My elves told me you are full of colourful ideas. Keep creating!",
    ], [
        "I have heard about your creative ideas this year. The elves could learn from you!",
        "Your drawings and crafts show a wonderful imagination. Never stop creating.",
    ]),
    "helped_a_friend": ("Helped a friend", [
        "I heard you helped a friend who needed it. That is a true Christmas spirit!",
        "My elves told me you are a kind and caring friend. I love that.",
    ], [
        "I know you stood by a friend this year. A good friend is worth more than gold.",
        "Helping a friend when it counts is one of the kindest things anyone can do.",
    ]),
    "wish_bike": ("Wishes for a bike", [
        "I heard you would love a bike. I have written it in my big book!",
        "A bike, you say? My elves are already polishing the bells in the workshop.",
    ], [
        "I heard a new bike is on your wish list. I have made a note of it.",
        "A bike for adventures! My elves have written it down.",
    ]),
    "wish_doll": ("Wishes for a doll", [
        "I heard you would love a doll to play with. I have written it in my big book!",
        "A doll to cuddle and care for? My elves are sewing as fast as they can.",
    ], [
        "I heard a doll is on your wish list this year. I have made a note of it.",
        "My elves have written down your wish for a doll. They love that kind of work.",
    ]),
    "wish_building_blocks": ("Wishes for building blocks", [
        "I heard you love to build! My elves are counting blocks right now.",
        "Building blocks for a little builder? I have written it in my big book.",
    ], [
        "I heard you would love a building set. I can't wait to see what you create!",
        "A building set is on your list, and my elves are very excited about it.",
    ]),
    "wish_books": ("Wishes for books", [
        "I heard you love stories. Mrs. Claus says books are the best gifts of all!",
        "A book for bedtime stories? I have written it in my big book.",
    ], [
        "I heard you would love some new books. I have made a note of it.",
        "Books are one of my favourite wishes. My elves have written yours down.",
    ]),
    "wish_art_set": ("Wishes for paints and crayons", [
        "I heard you would love paints and crayons. What colourful pictures you will make!",
        "Crayons for a little artist? My elves have written it down.",
    ], [
        "I heard an art set is on your wish list. I have made a note of it.",
        "Paints and pencils for your next masterpiece! My elves have written it down.",
    ]),
    "wish_game": ("Wishes for a game", [
        "I heard you would love a new game to play. My elves love games too!",
        "A game for playing together? I have written it in my big book.",
    ], [
        "I heard a new game is on your wish list. I have made a note of it.",
        "My elves tested lots of games this year. Yours is written down.",
    ]),
    "wish_surprise": ("Wishes for a surprise", [
        "I heard you would love a surprise. Shh, my elves are keeping a secret!",
        "A surprise, you say? Then I won't tell you a thing. Ho ho ho!",
    ], [
        "I heard you asked for a surprise. Then my lips are sealed!",
        "A surprise it is. The elves have promised not to say a word.",
    ]),
    "wish_snow": ("Wishes for snow at Christmas", [
        "I heard you are hoping for snow. I will ask the North Wind very nicely!",
        "Snow for Christmas? The snowflakes here are practising their dance.",
    ], [
        "I heard you are hoping for a white Christmas. I will have a word with the North Wind.",
        "Snow is one of my favourite wishes. We will see what the weather can do!",
    ]),
}
