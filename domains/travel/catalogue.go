package travel

// A country of the generator's catalogue: where packages go, travelers live and agencies
// sit.
type country struct {
	name, code  string // "Sweden", "SE"
	currency    string
	perUSD      float64 // units of currency per US dollar, roughly
	timezone    string
	phone       string // international calling code
	tld         string // email domain suffix
	cities      []city // the first one is the main hub
	first, last []string
	streets     []string
	sights      []string // what packages there show
}

type city struct{ name, region, zip string }

var countries = []country{
	{name: "Sweden", code: "SE", currency: "SEK", perUSD: 10.5, timezone: "Europe/Stockholm", phone: "+46", tld: "se",
		cities:  []city{{"Stockholm", "Stockholm County", "111"}, {"Kiruna", "Norrbotten", "981"}, {"Abisko", "Norrbotten", "981"}, {"Gothenburg", "Västra Götaland", "411"}},
		first:   []string{"Erik", "Anna", "Lars", "Maja", "Johan", "Elsa"},
		last:    []string{"Svensson", "Larsson", "Lindqvist", "Berg", "Nilsson"},
		streets: []string{"Sveavägen", "Kungsgatan", "Drottninggatan"},
		sights:  []string{"Northern Lights", "Lapland", "Arctic"}},
	{name: "Norway", code: "NO", currency: "NOK", perUSD: 10.7, timezone: "Europe/Oslo", phone: "+47", tld: "no",
		cities:  []city{{"Oslo", "Oslo", "015"}, {"Bergen", "Vestland", "500"}, {"Tromsø", "Troms", "900"}, {"Flåm", "Vestland", "574"}},
		first:   []string{"Ingrid", "Ola", "Kari", "Henrik", "Sofie"},
		last:    []string{"Hansen", "Johansen", "Olsen", "Haugen"},
		streets: []string{"Karl Johans gate", "Bryggen", "Storgata"},
		sights:  []string{"Fjords", "Coastal", "Midnight Sun"}},
	{name: "Portugal", code: "PT", currency: "EUR", perUSD: 0.92, timezone: "Europe/Lisbon", phone: "+351", tld: "pt",
		cities:  []city{{"Lisbon", "Lisboa", "110"}, {"Porto", "Porto", "400"}, {"Sintra", "Lisboa", "271"}, {"Lagos", "Faro", "860"}},
		first:   []string{"Inês", "João", "Beatriz", "Miguel", "Rita"},
		last:    []string{"Sousa", "Ferreira", "Costa", "Almeida"},
		streets: []string{"Rua Augusta", "Avenida da Liberdade", "Rua de Santa Catarina"},
		sights:  []string{"Douro Valley", "Atlantic Coast", "Azulejo"}},
	{name: "Italy", code: "IT", currency: "EUR", perUSD: 0.92, timezone: "Europe/Rome", phone: "+39", tld: "it",
		cities:  []city{{"Rome", "Lazio", "001"}, {"Florence", "Tuscany", "501"}, {"Venice", "Veneto", "301"}, {"Naples", "Campania", "801"}},
		first:   []string{"Giulia", "Marco", "Francesca", "Luca", "Chiara"},
		last:    []string{"Rossi", "Bianchi", "Romano", "Conti", "Ricci"},
		streets: []string{"Via del Corso", "Via Roma", "Corso Italia"},
		sights:  []string{"Renaissance", "Tuscan Hills", "Amalfi"}},
	{name: "Switzerland", code: "CH", currency: "CHF", perUSD: 0.88, timezone: "Europe/Zurich", phone: "+41", tld: "ch",
		cities:  []city{{"Zurich", "Zurich", "800"}, {"Lucerne", "Lucerne", "600"}, {"Interlaken", "Bern", "380"}, {"Zermatt", "Valais", "392"}},
		first:   []string{"Lea", "Noah", "Mia", "Luca", "Elena"},
		last:    []string{"Müller", "Meier", "Keller", "Weber"},
		streets: []string{"Bahnhofstrasse", "Seestrasse", "Hauptgasse"},
		sights:  []string{"Alps", "Glacier Express", "Lakes"}},
	{name: "Greece", code: "GR", currency: "EUR", perUSD: 0.92, timezone: "Europe/Athens", phone: "+30", tld: "gr",
		cities:  []city{{"Athens", "Attica", "105"}, {"Santorini", "South Aegean", "847"}, {"Mykonos", "South Aegean", "846"}, {"Delphi", "Central Greece", "330"}},
		first:   []string{"Eleni", "Nikos", "Maria", "Giorgos", "Sofia"},
		last:    []string{"Papadopoulos", "Nikolaidis", "Georgiou", "Dimitriou"},
		streets: []string{"Ermou", "Panepistimiou", "Akadimias"},
		sights:  []string{"Islands", "Ancient", "Aegean"}},
	{name: "Turkey", code: "TR", currency: "TRY", perUSD: 32, timezone: "Europe/Istanbul", phone: "+90", tld: "tr",
		cities:  []city{{"Istanbul", "Istanbul", "344"}, {"Cappadocia", "Nevşehir", "501"}, {"Pamukkale", "Denizli", "202"}, {"Antalya", "Antalya", "070"}},
		first:   []string{"Mehmet", "Ayşe", "Emre", "Zeynep", "Can"},
		last:    []string{"Demir", "Yılmaz", "Kaya", "Şahin"},
		streets: []string{"Istiklal Caddesi", "Atatürk Bulvarı", "Bağdat Caddesi"},
		sights:  []string{"Heritage", "Bosphorus", "Balloon"}},
	{name: "Poland", code: "PL", currency: "PLN", perUSD: 4.0, timezone: "Europe/Warsaw", phone: "+48", tld: "pl",
		cities:  []city{{"Warsaw", "Masovian", "00-"}, {"Kraków", "Lesser Poland", "30-"}, {"Gdańsk", "Pomeranian", "80-"}},
		first:   []string{"Anna", "Piotr", "Katarzyna", "Tomasz", "Zofia"},
		last:    []string{"Kowalska", "Kowalski", "Nowak", "Wiśniewski"},
		streets: []string{"Marszałkowska", "Floriańska", "Długa"},
		sights:  []string{"Old Towns", "Baltic", "Heritage"}},
	{name: "Czech Republic", code: "CZ", currency: "CZK", perUSD: 23, timezone: "Europe/Prague", phone: "+420", tld: "cz",
		cities:  []city{{"Prague", "Prague", "110"}, {"Český Krumlov", "South Bohemian", "381"}, {"Brno", "South Moravian", "602"}},
		first:   []string{"Tereza", "Jakub", "Eliška", "Tomáš"},
		last:    []string{"Novák", "Svoboda", "Dvořák", "Černá"},
		streets: []string{"Národní", "Vodičkova", "Karlova"},
		sights:  []string{"Castles", "Bohemian", "Old Town"}},
	{name: "United Kingdom", code: "UK", currency: "GBP", perUSD: 0.79, timezone: "Europe/London", phone: "+44", tld: "co.uk",
		cities:  []city{{"London", "England", "SW1"}, {"Edinburgh", "Scotland", "EH1"}, {"Inverness", "Scotland", "IV1"}, {"Bath", "England", "BA1"}},
		first:   []string{"Oliver", "Amelia", "Harry", "Isla", "George"},
		last:    []string{"Smith", "Taylor", "Brown", "Wilson", "Campbell"},
		streets: []string{"High Street", "Baker Street", "Royal Mile"},
		sights:  []string{"Highlands", "Castles", "Literary"}},
	{name: "Canada", code: "CA", currency: "CAD", perUSD: 1.36, timezone: "America/Vancouver", phone: "+1", tld: "ca",
		cities:  []city{{"Vancouver", "British Columbia", "V6B"}, {"Banff", "Alberta", "T1L"}, {"Jasper", "Alberta", "T0E"}, {"Quebec City", "Quebec", "G1R"}},
		first:   []string{"Daniel", "Chloé", "Liam", "Emma", "Noah"},
		last:    []string{"Tremblay", "Nguyen", "MacDonald", "Roy"},
		streets: []string{"Granville St", "King St W", "Rue Saint-Jean"},
		sights:  []string{"Rockies", "Glacier", "Lakes"}},
	{name: "United States", code: "US", currency: "USD", perUSD: 1, timezone: "America/New_York", phone: "+1", tld: "com",
		cities:  []city{{"New York", "NY", "100"}, {"San Francisco", "CA", "941"}, {"Las Vegas", "NV", "891"}, {"Moab", "UT", "845"}},
		first:   []string{"Emily", "James", "Olivia", "Michael", "Ava"},
		last:    []string{"Johnson", "Williams", "Miller", "Davis", "Garcia"},
		streets: []string{"Main St", "Broadway", "Market St"},
		sights:  []string{"National Parks", "Canyon", "City Lights"}},
	{name: "Mexico", code: "MX", currency: "MXN", perUSD: 17, timezone: "America/Mexico_City", phone: "+52", tld: "mx",
		cities:  []city{{"Mexico City", "CDMX", "060"}, {"Oaxaca", "Oaxaca", "680"}, {"Tulum", "Quintana Roo", "777"}, {"Mérida", "Yucatán", "970"}},
		first:   []string{"Sofía", "Diego", "Valentina", "Mateo", "Camila"},
		last:    []string{"Hernández", "López", "Martínez", "Ramírez"},
		streets: []string{"Paseo de la Reforma", "Avenida Juárez", "Calle 60"},
		sights:  []string{"Maya", "Cenotes", "Culinary"}},
	{name: "Argentina", code: "AR", currency: "ARS", perUSD: 850, timezone: "America/Argentina/Buenos_Aires", phone: "+54", tld: "ar",
		cities:  []city{{"Buenos Aires", "CABA", "C10"}, {"El Calafate", "Santa Cruz", "Z94"}, {"Mendoza", "Mendoza", "M55"}, {"Ushuaia", "Tierra del Fuego", "V94"}},
		first:   []string{"Martín", "Lucía", "Santiago", "Florencia"},
		last:    []string{"Gómez", "Fernández", "Pérez", "Sosa"},
		streets: []string{"Avenida Corrientes", "Calle Florida", "Avenida de Mayo"},
		sights:  []string{"Patagonia", "Tango", "Wine"}},
	{name: "Peru", code: "PE", currency: "PEN", perUSD: 3.7, timezone: "America/Lima", phone: "+51", tld: "pe",
		cities:  []city{{"Lima", "Lima", "150"}, {"Cusco", "Cusco", "080"}, {"Aguas Calientes", "Cusco", "081"}},
		first:   []string{"Lucía", "José", "Camila", "Renzo"},
		last:    []string{"Quispe", "Flores", "Rojas", "Vargas"},
		streets: []string{"Avenida Larco", "Calle Plateros", "Jirón de la Unión"},
		sights:  []string{"Inca Trail", "Andes", "Sacred Valley"}},
	{name: "Japan", code: "JP", currency: "JPY", perUSD: 150, timezone: "Asia/Tokyo", phone: "+81", tld: "jp",
		cities:  []city{{"Tokyo", "Tokyo", "100"}, {"Kyoto", "Kyoto", "600"}, {"Osaka", "Osaka", "530"}, {"Hakone", "Kanagawa", "250"}},
		first:   []string{"Yuki", "Haruto", "Sakura", "Ren", "Aoi"},
		last:    []string{"Tanaka", "Suzuki", "Sato", "Watanabe"},
		streets: []string{"Chuo-dori", "Omotesando", "Shijo-dori"},
		sights:  []string{"Temples", "Cherry Blossom", "Onsen"}},
	{name: "South Korea", code: "KR", currency: "KRW", perUSD: 1350, timezone: "Asia/Seoul", phone: "+82", tld: "kr",
		cities:  []city{{"Seoul", "Seoul", "030"}, {"Busan", "Busan", "480"}, {"Gyeongju", "North Gyeongsang", "381"}, {"Jeju", "Jeju", "632"}},
		first:   []string{"Min-ji", "Ji-hoon", "Seo-yeon", "Hyun-woo"},
		last:    []string{"Park", "Kim", "Lee", "Choi"},
		streets: []string{"Jong-ro", "Sejong-daero", "Haeundae-ro"},
		sights:  []string{"Palaces", "Island", "Temple Stay"}},
	{name: "Thailand", code: "TH", currency: "THB", perUSD: 36, timezone: "Asia/Bangkok", phone: "+66", tld: "th",
		cities:  []city{{"Bangkok", "Bangkok", "101"}, {"Chiang Mai", "Chiang Mai", "502"}, {"Phuket", "Phuket", "831"}, {"Krabi", "Krabi", "810"}},
		first:   []string{"Narong", "Siriporn", "Anan", "Malee"},
		last:    []string{"Suksan", "Chaiyaporn", "Srisuk", "Wongsawat"},
		streets: []string{"Sukhumvit Rd", "Silom Rd", "Nimmanhaemin Rd"},
		sights:  []string{"Islands", "Temples", "Elephant Sanctuary"}},
	{name: "Vietnam", code: "VN", currency: "VND", perUSD: 25000, timezone: "Asia/Ho_Chi_Minh", phone: "+84", tld: "vn",
		cities:  []city{{"Hanoi", "Hanoi", "100"}, {"Ha Long", "Quang Ninh", "200"}, {"Hoi An", "Quang Nam", "560"}, {"Ho Chi Minh City", "Ho Chi Minh", "700"}},
		first:   []string{"Linh", "Minh", "Trang", "Duc"},
		last:    []string{"Tran", "Nguyen", "Pham", "Le"},
		streets: []string{"Hang Bac", "Le Loi", "Tran Phu"},
		sights:  []string{"Heritage", "Bay Cruise", "Lanterns"}},
	{name: "Indonesia", code: "ID", currency: "IDR", perUSD: 15800, timezone: "Asia/Makassar", phone: "+62", tld: "id",
		cities:  []city{{"Denpasar", "Bali", "801"}, {"Ubud", "Bali", "805"}, {"Yogyakarta", "Yogyakarta", "552"}},
		first:   []string{"Putu", "Dewi", "Agus", "Sari"},
		last:    []string{"Wijaya", "Santoso", "Pratama", "Lestari"},
		streets: []string{"Jalan Raya Ubud", "Jalan Malioboro", "Jalan Sunset Road"},
		sights:  []string{"Rice Terraces", "Volcano", "Temples"}},
	{name: "Australia", code: "AU", currency: "AUD", perUSD: 1.52, timezone: "Australia/Sydney", phone: "+61", tld: "com.au",
		cities:  []city{{"Sydney", "New South Wales", "200"}, {"Cairns", "Queensland", "487"}, {"Melbourne", "Victoria", "300"}, {"Uluru", "Northern Territory", "087"}},
		first:   []string{"Charlotte", "Jack", "Olivia", "William", "Mia"},
		last:    []string{"Smith", "Jones", "Walker", "Kelly"},
		streets: []string{"George St", "Collins St", "Esplanade"},
		sights:  []string{"Reef", "Outback", "Coastal"}},
	{name: "South Africa", code: "ZA", currency: "ZAR", perUSD: 18.5, timezone: "Africa/Johannesburg", phone: "+27", tld: "co.za",
		cities:  []city{{"Cape Town", "Western Cape", "800"}, {"Johannesburg", "Gauteng", "200"}, {"Kruger Park", "Mpumalanga", "135"}, {"Stellenbosch", "Western Cape", "760"}},
		first:   []string{"Thabo", "Naledi", "Pieter", "Lerato"},
		last:    []string{"Nkosi", "van der Merwe", "Dlamini", "Botha"},
		streets: []string{"Long Street", "Bree Street", "Jan Smuts Ave"},
		sights:  []string{"Safari", "Winelands", "Cape"}},
	{name: "Egypt", code: "EG", currency: "EGP", perUSD: 48, timezone: "Africa/Cairo", phone: "+20", tld: "eg",
		cities:  []city{{"Cairo", "Cairo", "115"}, {"Luxor", "Luxor", "851"}, {"Aswan", "Aswan", "815"}},
		first:   []string{"Omar", "Nour", "Youssef", "Salma"},
		last:    []string{"Hassan", "Mahmoud", "Ibrahim", "Farouk"},
		streets: []string{"Tahrir Street", "Corniche El Nil", "El Moez Street"},
		sights:  []string{"Pyramids", "Nile Cruise", "Pharaohs"}},
	{name: "Morocco", code: "MA", currency: "MAD", perUSD: 10, timezone: "Africa/Casablanca", phone: "+212", tld: "ma",
		cities:  []city{{"Marrakech", "Marrakech-Safi", "400"}, {"Fes", "Fès-Meknès", "300"}, {"Merzouga", "Drâa-Tafilalet", "525"}, {"Chefchaouen", "Tanger-Tetouan", "910"}},
		first:   []string{"Yasmine", "Karim", "Salma", "Rachid"},
		last:    []string{"El Amrani", "Benali", "Alaoui", "Tazi"},
		streets: []string{"Avenue Mohammed V", "Rue de la Liberté", "Derb Sidi Bouloukat"},
		sights:  []string{"Sahara", "Medinas", "Atlas"}},
}

// Package categories and their weights: free text in the reference, "culture" and
// "cultural" both in use.
var categories = []struct {
	name   string
	weight int
}{
	{"adventure", 34}, {"culture", 24}, {"cultural", 8}, {"luxury", 6}, {"nature", 5}, {"heritage", 5},
	{"discovery", 5}, {"wildlife", 3}, {"culinary", 3}, {"city_break", 3}, {"leisure", 2}, {"history", 2},
}

var (
	nameTemplates = []string{"%[1]s %[2]s Adventure", "%[1]s %[2]s Explorer", "Highlights of %[1]s", "%[3]s to %[4]s Discovery",
		"%[1]s %[2]s Journey", "Classic %[1]s", "%[2]s of %[1]s", "%[3]s and %[4]s Escape"}
	descTemplates = []string{"A %[1]d-day journey from %[2]s to %[3]s, with %[4]s along the way.",
		"Discover %[2]s and %[3]s on a %[1]d-day trip built around %[4]s.",
		"Explore %[2]s, then %[3]s: %[1]d days of %[4]s, good food and local guides."}
	inclusionPool = []string{"Daily breakfasts", "Guided activities", "Airport transfers", "Local English-speaking guide",
		"Entrance fees listed in the itinerary", "Intercity train tickets", "Welcome dinner", "Domestic flight", "Quality accommodations"}
	exclusionPool = []string{"International flights", "Personal expenses", "Travel insurance", "Visas and entry fees",
		"Meals not specified", "Optional activities not listed", "Tips and gratuities"}
	meals         = []string{"breakfast", "lunch", "dinner"}
	stayTypes     = []string{"hotel", "hotel", "boutique hotel", "lodge", "guesthouse", "resort", "ryokan"}
	stayWords     = []string{"Grand Hotel", "Boutique Inn", "Mountain Lodge", "Harbour Hotel", "Garden Guesthouse", "Palace Hotel", "Riverside Suites"}
	activityVerbs = []string{"Guided walking tour of %s", "Cooking class in %s", "Sunset cruise near %s", "Museum visit in %s",
		"Day hike outside %s", "Market tour in %s", "Bike ride around %s", "Wine tasting near %s"}
	cancellationPolicies = []string{
		"Free cancellation up to %d days before departure; 50%% penalty within %d–15 days; 100%% within 14 days.",
		"Full refund up to %d days before departure; 50%% within %d–10 days; non-refundable within 9 days.",
		"Cancel up to %d days for a full refund; 70%% penalty within %d–15 days; non-refundable within 14 days.",
	}
	changePolicies = []string{"Date changes allowed up to %d days before departure subject to availability and fees.",
		"One free date change up to %d days before departure; fees thereafter.",
		"Changes allowed up to %d days prior, subject to availability."}
	refundPolicies = []string{"Refunds processed within %d business days of approval.",
		"Refunds issued to the original payment method within %d days.",
		"Eligible refunds issued within %d business days."}
	packageNotes = []string{"Warm clothing rental available on request.", "Weather may change the order of activities.",
		"Single supplement applies for solo travelers.", "Moderate fitness required.", "Upgrade to private transfers available.",
		"Wildlife sightings are not guaranteed."}

	addOnPool = []struct {
		kind, desc string
		usd        float64
	}{
		{"excursion", "Day trip to %s", 120}, {"transfer", "Private airport transfer in %s", 60}, {"excursion", "Sunset cruise near %s", 90},
		{"meal", "Gala dinner in %s", 75}, {"upgrade", "Room upgrade in %s", 150}, {"wellness", "Spa afternoon in %s", 110},
		{"excursion", "Photography tour of %s", 85.5}, {"transfer", "Luggage forwarding to %s", 35.75},
	}
	insuranceLabels = []string{"Standard", "Standard", "Premium", "standard", "Standard Plan", "Comprehensive Plan A",
		"Basic", "Premium Plan", "Comprehensive", "premium"}
	roomTypes     = []string{"double", "double", "double", "single", "twin", "suite", "family_suite"}
	dietary       = []string{"vegetarian", "vegan", "gluten_free", "no_shellfish", "halal", "kosher", "none"}
	accessibility = []string{"wheelchair access", "ground-floor room", "step-free access"}
	beds          = []string{"king", "queen", "twin", "double"}
	otherPrefs    = []string{"Prefers upper-floor rooms", "Window seat on trains", "Prefers boutique hotels", "Quiet room please"}
	memberships   = []string{"AirMiles", "Star Alliance Gold", "Travel Club Silver", "HotelClub", "Miles & More", "SkyTeam Elite", "Rail Pass Plus"}
	methodSources = []string{"credit_card", "credit_card", "credit_card", "credit_card", "debit_card", "paypal", "bank_transfer"}
	cardBrands    = []string{"Visa", "Visa", "Mastercard", "Mastercard", "Amex", "Discover"}

	agencyWords    = []string{"Travels", "Journeys", "Tours", "Voyages", "Expeditions", "Holidays"}
	certifications = []string{"IATA", "IATA", "ASTA", "CLIA", "PATA", "ECTAA", "CTA", "ATOL"}
	languagesOf    = map[string]string{"SE": "Swedish", "NO": "Norwegian", "PT": "Portuguese", "IT": "Italian", "CH": "German",
		"GR": "Greek", "TR": "Turkish", "PL": "Polish", "CZ": "Czech", "UK": "English", "CA": "French", "US": "Spanish",
		"MX": "Spanish", "AR": "Spanish", "PE": "Spanish", "JP": "Japanese", "KR": "Korean", "TH": "Thai", "VN": "Vietnamese",
		"ID": "Indonesian", "AU": "English", "ZA": "Afrikaans", "EG": "Arabic", "MA": "French"}
	meetingSlots = []string{"09:00-11:00", "09:00-12:00", "10:00-12:00", "13:00-15:00", "14:00-16:00", "15:00-17:00", "16:00-18:00", "09:30-11:30"}
	agentNotes   = []string{"Specializes in rail itineraries.", "Expert in small-group adventure trips.", "Focus on family travel.",
		"Speaks at travel fairs; limited availability in spring.", "Luxury and honeymoon specialist."}
)
