package railway

// A region is one national network the generator draws from: its stations, its train
// lines by service type, and the names and addresses of its users. Everything is lower
// case, as in the reference data.
type region struct {
	code     string // id infix, e.g. "cz"
	country  string // as addresses write it
	tld      string // of e-mail domains
	userID   string // format of user ids, taking a number from 1001
	resID    string // format of reservation ids, taking a number from 2001
	stations []string
	lines    [3]line // high_speed, express, regional
	first    []string
	last     []string
	cities   []city
	streets  []string
	brands   []string
}

// A line makes train numbers (prefix + a number in [lo, hi]) and names for one service type.
type line struct {
	prefix string
	lo, hi int
	names  []string
}

// A city is an address city with its state and a zip pattern ('#' is a digit).
type city struct{ name, state, zip string }

var serviceTypes = [3]string{"high_speed", "express", "regional"}

var regions = []region{
	{
		code: "cz", country: "cz", tld: "cz", userID: "cz%d", resID: "czr%d",
		stations: []string{"praha hl.n.", "brno hl.n.", "ostrava hl.n.", "olomouc hl.n.", "plzeň hl.n.", "pardubice hl.n.", "břeclav", "české budějovice"},
		lines: [3]line{
			{"rj ", 70, 299, []string{"railjet", "railjet xpress"}},
			{"ec ", 100, 399, []string{"slovan", "porta bohemica", "hungaria", "metropolitan"}},
			{"r ", 600, 999, []string{"rychlík", "osobní", "spěšný"}},
		},
		first:   []string{"jan", "petr", "tomáš", "jakub", "martin", "eva", "jana", "lucie", "tereza", "alena"},
		last:    []string{"novák", "svoboda", "dvořák", "černý", "procházka", "kučera", "veselý", "horák"},
		cities:  []city{{"praha", "praha", "11###"}, {"brno", "jihomoravský kraj", "602##"}, {"ostrava", "moravskoslezský kraj", "702##"}},
		streets: []string{"vodičkova", "národní", "masarykova", "husova", "palackého", "nádražní"},
		brands:  []string{"visa", "mastercard"},
	},
	{
		code: "no", country: "no", tld: "no", userID: "no%d", resID: "nor%d",
		stations: []string{"oslo s", "bergen", "trondheim s", "stavanger", "bodø", "lillehammer", "kristiansand"},
		lines: [3]line{
			{"fx", 100, 199, []string{"flytoget express"}},
			{"vy", 10, 99, []string{"bergensbanen", "dovrebanen", "sørlandsbanen", "nordlandsbanen"}},
			{"r", 10, 90, []string{"regiontog", "lokaltog"}},
		},
		first:   []string{"lars", "ola", "henrik", "magnus", "anna", "ingrid", "kari", "sofie", "nora"},
		last:    []string{"hansen", "johansen", "olsen", "larsen", "andersen", "berg", "haugen"},
		cities:  []city{{"oslo", "oslo", "0###"}, {"bergen", "vestland", "50##"}, {"trondheim", "trøndelag", "70##"}},
		streets: []string{"karl johans gate", "storgata", "kirkegata", "bryggen", "dronningens gate"},
		brands:  []string{"visa", "mastercard"},
	},
	{
		code: "in", country: "india", tld: "in", userID: "usr%d", resID: "rsv%04d",
		stations: []string{"new delhi", "jaipur", "mumbai central", "ahmedabad junction", "agra cantt", "lucknow nr", "kanpur central", "bhopal junction"},
		lines: [3]line{
			{"", 12001, 12999, []string{"shatabdi express", "rajdhani express", "vande bharat express"}},
			{"", 22101, 22999, []string{"duronto express", "superfast express", "intercity express"}},
			{"", 54001, 54999, []string{"passenger", "memu", "janshatabdi"}},
		},
		first:   []string{"priya", "rahul", "amit", "ananya", "vikram", "neha", "arjun", "kavya", "rohan", "sneha"},
		last:    []string{"sharma", "verma", "patel", "gupta", "singh", "iyer", "reddy", "mehta"},
		cities:  []city{{"pune", "maharashtra", "411###"}, {"jaipur", "rajasthan", "302###"}, {"new delhi", "delhi", "110###"}},
		streets: []string{"fc road", "mg road", "station road", "nehru marg", "ring road"},
		brands:  []string{"visa", "mastercard", "rupay"},
	},
	{
		code: "de", country: "de", tld: "de", userID: "de-u-%d", resID: "de-r-%d",
		stations: []string{"berlin hbf", "hamburg hbf", "münchen hbf", "frankfurt (main) hbf", "köln hbf", "stuttgart hbf", "leipzig hbf", "hannover hbf"},
		lines: [3]line{
			{"ice ", 500, 1799, []string{"ice sprinter", "intercity-express"}},
			{"ic ", 2000, 2499, []string{"intercity", "eurocity"}},
			{"re ", 1, 99, []string{"regional-express", "regionalbahn"}},
		},
		first:   []string{"lukas", "jonas", "felix", "maximilian", "lea", "hannah", "mia", "laura", "jörg", "sabine"},
		last:    []string{"müller", "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker"},
		cities:  []city{{"berlin", "berlin", "10###"}, {"hamburg", "hamburg", "20###"}, {"münchen", "bayern", "80###"}},
		streets: []string{"hauptstraße", "bahnhofstraße", "gartenweg", "lindenallee", "schillerstraße"},
		brands:  []string{"visa", "mastercard", "girocard"},
	},
	{
		code: "fr", country: "fr", tld: "fr", userID: "fr%d", resID: "frr%d",
		stations: []string{"paris gare de lyon", "lyon part-dieu", "marseille st-charles", "bordeaux st-jean", "arcachon", "lille europe", "nantes", "montpellier st-roch"},
		lines: [3]line{
			{"tgv ", 6100, 6999, []string{"tgv inoui", "ouigo"}},
			{"ic ", 3600, 4499, []string{"intercités", "intercités de nuit"}},
			{"ter ", 860000, 869999, []string{"ter"}},
		},
		first:   []string{"louis", "gabriel", "hugo", "léa", "chloé", "camille", "manon", "théo", "élodie"},
		last:    []string{"martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand"},
		cities:  []city{{"paris", "île-de-france", "750##"}, {"lyon", "auvergne-rhône-alpes", "6900#"}, {"bordeaux", "nouvelle-aquitaine", "330##"}},
		streets: []string{"rue de la paix", "avenue victor hugo", "boulevard voltaire", "rue du commerce", "place bellecour"},
		brands:  []string{"visa", "mastercard", "cb"},
	},
	{
		code: "it", country: "italy", tld: "it", userID: "it%d", resID: "itr%d",
		stations: []string{"roma termini", "milano centrale", "firenze s.m.n.", "napoli centrale", "venezia s. lucia", "bologna centrale", "torino porta nuova"},
		lines: [3]line{
			{"fr ", 9500, 9699, []string{"frecciarossa", "italo"}},
			{"ic ", 500, 799, []string{"intercity", "frecciabianca"}},
			{"rv ", 2000, 2999, []string{"regionale veloce", "regionale"}},
		},
		first:   []string{"marco", "luca", "giulia", "francesca", "alessandro", "chiara", "matteo", "sofia"},
		last:    []string{"rossi", "russo", "ferrari", "esposito", "bianchi", "romano", "colombo", "ricci"},
		cities:  []city{{"roma", "lazio", "001##"}, {"milano", "lombardia", "201##"}, {"firenze", "toscana", "501##"}},
		streets: []string{"via roma", "via garibaldi", "corso italia", "via dante", "piazza navona"},
		brands:  []string{"visa", "mastercard"},
	},
	{
		code: "es", country: "es", tld: "es", userID: "es%d", resID: "esr%d",
		stations: []string{"madrid puerta de atocha", "barcelona sants", "sevilla santa justa", "valencia joaquín sorolla", "zaragoza delicias", "málaga maría zambrano"},
		lines: [3]line{
			{"ave ", 3000, 3999, []string{"ave", "avlo"}},
			{"alvia ", 400, 699, []string{"alvia", "intercity"}},
			{"md ", 18000, 18999, []string{"media distancia", "regional exprés"}},
		},
		first:   []string{"javier", "sofía", "lucía", "martín", "pablo", "carmen", "diego", "elena"},
		last:    []string{"garcía", "fernández", "gonzález", "rodríguez", "lópez", "martínez", "sánchez", "pérez"},
		cities:  []city{{"madrid", "madrid", "280##"}, {"barcelona", "cataluña", "080##"}, {"sevilla", "andalucía", "410##"}},
		streets: []string{"calle mayor", "gran vía", "avenida de la constitución", "calle de alcalá", "paseo del prado"},
		brands:  []string{"visa", "mastercard"},
	},
	{
		code: "jp", country: "japan", tld: "jp", userID: "jp%d", resID: "jpr%d",
		stations: []string{"tokyo", "shin-osaka", "kyoto", "nagoya", "hiroshima", "hakata", "sendai", "shin-yokohama"},
		lines: [3]line{
			{"nozomi ", 1, 299, []string{"nozomi", "hikari", "hayabusa"}},
			{"ltd ", 1, 99, []string{"limited express hitachi", "limited express thunderbird", "limited express azusa"}},
			{"local ", 100, 999, []string{"local", "rapid"}},
		},
		first:   []string{"haruto", "yuto", "sota", "yui", "hina", "aoi", "ren", "sakura", "kenji"},
		last:    []string{"sato", "suzuki", "takahashi", "tanaka", "watanabe", "ito", "yamamoto", "nakamura"},
		cities:  []city{{"tokyo", "tokyo", "100-####"}, {"osaka", "osaka", "530-####"}, {"kyoto", "kyoto", "600-####"}},
		streets: []string{"chuo-dori", "omotesando", "shijo-dori", "midosuji", "meiji-dori"},
		brands:  []string{"visa", "jcb", "mastercard"},
	},
	{
		code: "kr", country: "kr", tld: "kr", userID: "kr-u-%d", resID: "kr-r-%d",
		stations: []string{"seoul", "busan", "daejeon", "dongdaegu", "gwangju songjeong", "gangneung", "mokpo"},
		lines: [3]line{
			{"ktx ", 101, 499, []string{"ktx", "ktx-sancheon"}},
			{"itx-", 1000, 1299, []string{"itx-saemaeul", "itx-cheongchun"}},
			{"mugunghwa ", 1200, 1599, []string{"mugunghwa-ho", "nuriro"}},
		},
		first:   []string{"minjun", "seoyeon", "jiho", "haeun", "doyun", "jiwoo", "sumin", "yejun"},
		last:    []string{"kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon"},
		cities:  []city{{"seoul", "seoul", "0####"}, {"busan", "busan", "4####"}, {"daejeon", "daejeon", "3####"}},
		streets: []string{"sejong-daero", "teheran-ro", "haeundae-ro", "gangnam-daero", "jongno"},
		brands:  []string{"visa", "mastercard", "bc card"},
	},
	{
		code: "ng", country: "ng", tld: "ng", userID: "ngu%d", resID: "ngr%d",
		stations: []string{"lagos (ebute metta)", "ibadan", "abuja (idu)", "kaduna (rigasa)", "warri", "itakpe", "abeokuta"},
		lines: [3]line{
			{"lk", 1, 99, []string{"lagos-ibadan express", "abuja-kaduna express"}},
			{"ak", 100, 199, []string{"ak express", "warri-itakpe express"}},
			{"ms", 200, 399, []string{"mass transit", "standard"}},
		},
		first:   []string{"chinedu", "ngozi", "adebayo", "funke", "emeka", "amaka", "tunde", "zainab"},
		last:    []string{"bello", "okafor", "adeyemi", "okonkwo", "ibrahim", "eze", "balogun", "musa"},
		cities:  []city{{"abuja", "fct", "900###"}, {"lagos", "lagos", "100###"}, {"ibadan", "oyo", "200###"}},
		streets: []string{"ahmadu bello way", "adeola odeku street", "awolowo road", "herbert macaulay way"},
		brands:  []string{"visa", "mastercard", "verve"},
	},
}

// railcardTypes are the kinds of railcards users hold.
var railcardTypes = []string{"student", "senior", "family", "youth", "disabled", "weekend", "two together"}

// asciiFold maps the accented letters of the regions' names to ASCII, for e-mail addresses.
var asciiFold = map[rune]string{
	'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'č': "c", 'ç': "c", 'ď': "d", 'é': "e", 'è': "e", 'ê': "e",
	'ě': "e", 'í': "i", 'î': "i", 'ñ': "n", 'ň': "n", 'ó': "o", 'ô': "o", 'ö': "o", 'ø': "o", 'ř': "r",
	'š': "s", 'ť': "t", 'ú': "u", 'ů': "u", 'ü': "u", 'ý': "y", 'ž': "z", 'ß': "ss",
}
